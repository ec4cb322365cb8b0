// Starts Loket the way `npm start` does (dev/start.ts, browser host, no browser opened) in a
// throw-away data directory, and drives Debian's Chromium with playwright-core — no browser download.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

const root = join(import.meta.dirname, '..', '..');

export interface RunningDesk {
  launchUrl: string;
  origin: string;
  dataDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** `server: true` starts the embedded demo server as `npm start` does; other tests skip it to start fast. */
export async function startDesk(options: { dataDir?: string; env?: NodeJS.ProcessEnv; server?: boolean } = {}): Promise<RunningDesk> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'loket-e2e-'));
  const child = spawn(process.execPath, [join(root, 'dev/start.ts'), '--no-open', '--browser-host', '--data-dir', dataDir, ...(options.server ? [] : ['--no-server'])], {
    cwd: root,
    env: { ...process.env, LOKET_LOG_LEVEL: 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const launchUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`Loket did not start in 60 s.\n${out}\n${stderr}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?k=[\w-]+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`Loket exited (${code}) before it was ready.\n${out}\n${stderr}`)); });
  });
  return {
    launchUrl,
    origin: new URL(launchUrl).origin,
    dataDir,
    process: child,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const chromiumPath = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // Chromium on Linux takes its UI language, which date fields follow, from LANGUAGE (not --lang).
    env: { ...process.env, LANGUAGE: 'id' },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}
