// A desk where SANE does not exist (Windows, or a Linux desk without libsane): the device worker
// starts, its SANE driver says "SANE tidak tersedia di komputer ini" instead of failing, and network
// scanners (eSCL) are listed and scan as on any desk. Made real for the worker only, in a mount
// namespace of its own (unshare): once with the SANE addon's build folder hidden (never built
// here), once with libsane hidden (the addon built, the library gone). The machine itself keeps both.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectingLogger } from '../../common/logger.ts';
import type { AppError } from '../../common/errors.ts';
import { DeviceWorkerHost } from '../../main/devices/host.ts';
import { startEsclRig, type EsclRig } from '../support/escl-rig.ts';
import { canMakeNamespaces, wrappedSpawner } from '../support/worker-spawners.ts';

const root = join(import.meta.dirname, '..', '..');
const addonBuild = join(root, 'native', 'sane', 'build');
const libsane = (() => {
  try {
    const path = execFileSync('sh', ['-c', "ldconfig -p | awk '/libsane\\.so\\.1 /{print $NF; exit}'"], { encoding: 'utf8' }).trim();
    return path === '' ? undefined : realpathSync(path);
  } catch {
    return undefined;
  }
})();

/**
 * The worker in a mount namespace where `hide` shows nothing: a folder becomes an empty tmpfs, a file
 * /dev/null. Where it does not exist at all (a run on a computer that never built the addon) there is
 * nothing to hide and nothing to mount over: the worker runs as it is.
 */
function hiding(hide: string, kind: 'folder' | 'file'): string[] {
  if (!existsSync(hide)) return ['sh', '-c', 'exec "$@"', 'sh'];
  const mount = kind === 'folder' ? 'mount -t tmpfs tmpfs "$0"' : 'mount --bind /dev/null "$0"';
  return ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', `${mount} && exec "$@"`, hide];
}

const rigs: EsclRig[] = [];
afterAll(async () => {
  for (const rig of rigs) await rig.close();
});

describe.skipIf(!canMakeNamespaces)('a desk without SANE', () => {
  it.each([
    { what: 'the SANE addon was never built', wrapper: hiding(addonBuild, 'folder') },
    { what: 'libsane is not installed', wrapper: libsane === undefined ? [] : hiding(libsane, 'file') },
  ])('when $what: the worker says SANE is not available here, and scans from a network scanner', async ({ wrapper }) => {
    expect(wrapper.length).toBeGreaterThan(0);
    const rig = await startEsclRig({ sheets: 2 });
    rigs.push(rig);
    const host = new DeviceWorkerHost({ spawner: wrappedSpawner(wrapper), log: collectingLogger(), env: { LOKET_ESCL_DISCOVERY_MS: '0' } });
    const spool = mkdtempSync(join(tmpdir(), 'loket-nosane-'));
    try {
      await host.start();
      expect(host.status().state).toBe('running');
      await host.request('scanner.configure', { known: [{ url: rig.url, label: 'Pemindai Lantai 2' }], trusted: [] });
      const { scanners, problems } = await host.request('scanner.list', {});
      expect(scanners.map((s) => [s.id, s.label])).toEqual([[`escl:${rig.url}`, 'Pemindai Lantai 2 (127.0.0.1)']]);
      expect(problems.map((p) => [p.driver, p.device, p.error.code])).toEqual([['sane', null, 'SCANNER_SANE_UNAVAILABLE']]);
      expect(problems[0]!.error.message).toMatch(/^SANE tidak tersedia di komputer ini/);

      const reply = await host.request('scanner.scan', { device: `escl:${rig.url}`, scanId: 'nosane-1', settings: { source: 'adf', mode: 'gray', resolution: 100, paperSize: 'a4' }, spool }, { timeoutMs: 60_000 });
      expect(reply.pages).toBe(2);
      expect(readdirSync(spool).filter((f) => f.endsWith('.page'))).toHaveLength(2);

      // Asking for a SANE scanner anyway is answered, not a crash.
      const refused = await host.request('scanner.scan', { device: 'sane:test:0', scanId: 'nosane-2', settings: { source: 'flatbed', mode: 'gray', resolution: 100, paperSize: 'a4' }, spool }).catch((err: unknown) => err);
      expect((refused as AppError).code).toBe('SCANNER_SANE_UNAVAILABLE');
      expect(host.status()).toMatchObject({ state: 'running', restarts: 0 });
    } finally {
      await host.stop();
      rmSync(spool, { recursive: true, force: true });
    }
  });
});
