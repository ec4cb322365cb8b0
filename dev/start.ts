// `npm start`: runs Loket in Electron when its binary is present; otherwise boots the same core
// behind the browser host and opens Chromium in app mode when there is a display, or prints the URL.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { createCore } from '../main/app/core.ts';
import { createLogger } from '../common/logger.ts';
import { AppError } from '../common/errors.ts';
import { startBrowserHost } from '../main/host/host.ts';
import { logUnhandledRejections } from '../main/app/process-guards.ts';
import { deskAids } from './desk-aids.ts';
import { findElectronBinary } from './electron-binary.ts';
import { startEmbeddedServer, type EmbeddedServer } from './embedded-server.ts';

function projectRoot(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json of Loket not found above ' + import.meta.dirname);
    dir = up;
  }
  return dir;
}

function findChromium(): string | undefined {
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((c) => existsSync(c));
}

function defaultDataDir(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'loket');
}

async function main() {
  const { values } = parseArgs({
    options: {
      'no-open': { type: 'boolean', default: false },
      'browser-host': { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      // Without a server address in Pengaturan the desk uses the embedded demo server; --no-server
      // (or LOKET_NO_SERVER=1) starts none, for a standalone desk or tests that do not need one.
      'no-server': { type: 'boolean', default: false },
      // The agency's CA bundle (PEM) for the server named in Pengaturan.
      'server-ca': { type: 'string' },
    },
  });
  const root = projectRoot();
  const log = createLogger({ base: { proc: 'main' } });
  logUnhandledRejections(log);

  const dataDir = values['data-dir'] ?? process.env.LOKET_DATA_DIR ?? defaultDataDir(process.env);
  let embedded: EmbeddedServer | undefined;
  if (!values['no-server'] && process.env.LOKET_NO_SERVER !== '1') {
    embedded = await startEmbeddedServer({ dataDir, logLevel: 'warn' });
    process.stdout.write(`Server pusat bawaan (demo): ${embedded.url} — pengguna demo ada di README (bagian "Pengguna demo").\n`);
  }
  const serverCaFile = values['server-ca'] ?? process.env.LOKET_SERVER_CA;

  const electron = values['browser-host'] ? undefined : findElectronBinary(root);
  if (electron) {
    // The Electron shell is told of the embedded server and the agency CA; this process keeps the
    // server running until the desk closes.
    const child = spawn(electron, [root], {
      stdio: 'inherit',
      env: {
        ...process.env,
        ...(embedded ? { LOKET_EMBEDDED_SERVER_URL: embedded.url, LOKET_EMBEDDED_SERVER_CA: embedded.caFile } : {}),
        // The demo scanner and demo token, which a packaged Loket never offers.
        LOKET_DEVELOPMENT_AIDS: '1',
        ...(serverCaFile ? { LOKET_SERVER_CA: serverCaFile } : {}),
      },
    });
    child.on('exit', (code) => void embedded?.close().finally(() => process.exit(code ?? 0)));
    return;
  }

  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const core = await createCore({
    dataDir, shell: 'browser-host', version, log, aids: deskAids,
    ...(embedded ? { defaultServer: { url: embedded.url, caFile: embedded.caFile } } : {}),
    ...(serverCaFile ? { serverCaFile } : {}),
  });
  const host = await startBrowserHost({ core, rendererDir: join(root, 'dist', 'renderer'), log, ...(values.port ? { port: Number(values.port) } : {}) });

  let browser: ChildProcess | undefined;
  const chromium = findChromium();
  if (!values['no-open'] && chromium && (process.env.DISPLAY || process.env.WAYLAND_DISPLAY)) {
    browser = spawn(chromium, [
      `--app=${host.launchUrl}`, `--user-data-dir=${join(dataDir, 'browser-profile')}`,
      // Date fields follow Chromium's UI language, not the page's (23/11/2026, not 11/23/2026): --lang
      // elsewhere, LANGUAGE on Linux (with the chromium-l10n package).
      '--lang=id', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ], { stdio: 'ignore', env: { ...process.env, LANGUAGE: 'id' } });
    browser.on('exit', () => void shutdown());
    process.stdout.write(`Loket dibuka di Chromium. Alamat: ${host.launchUrl}\n`);
  } else {
    process.stdout.write(`Loket siap. Buka alamat ini di Chromium/Chrome: ${host.launchUrl}\n`);
  }
  process.stdout.write(`Data lokal: ${dataDir}\n`);

  let closing = false;
  async function shutdown() {
    if (closing) return;
    closing = true;
    browser?.kill();
    await host.close();
    await core.close();
    await embedded?.close();
    process.exit(0);
  }
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((err: unknown) => {
  // The clerk reads this in a terminal: the reason in Bahasa Indonesia, no stack trace. The log
  // line keeps the details for support.
  createLogger({ base: { proc: 'main' } }).error('launch: start failed', { err });
  const reason = err instanceof AppError ? err.message : 'Terjadi kesalahan saat membuka data lokal.';
  process.stderr.write(`Loket tidak dapat dibuka: ${reason}\n`);
  process.exit(1);
});
