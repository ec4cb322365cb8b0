// Finding eSCL scanners by mDNS, for real: inside a network namespace made by the test (iproute2;
// its loopback with multicast on and a route for 224.0.0.0/4), a scanner process — the eSCL rig
// over HTTP and HTTPS with one UUID, announced on _uscan._tcp and _uscans._tcp by an mDNS
// responder — and the desk's device worker, started inside the namespace through the same IPC as
// always. The worker finds the scanner with nothing entered by hand, lists it once (over HTTPS),
// with its name and address, and scans from it. Nothing of this reaches the machine's own network.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectingLogger } from '../../common/logger.ts';
import { DeviceWorkerHost } from '../../main/devices/host.ts';
import { canMakeNamespaces, wrappedSpawner } from '../support/worker-spawners.ts';

const root = join(import.meta.dirname, '..', '..');
const ns = `loket-mdns-${process.pid}`;
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

describe.skipIf(!canMakeNamespaces)('eSCL scanners found by mDNS (in a network namespace of the test’s own)', () => {
  let service: ChildProcess;
  let announced: { http: string; https: string; uuid: string; sha256: string };
  let host: DeviceWorkerHost;
  let spool: string;

  beforeAll(async () => {
    ip('netns', 'add', ns);
    ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
    ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'multicast', 'on');
    ip('netns', 'exec', ns, 'ip', 'route', 'add', '224.0.0.0/4', 'dev', 'lo');
    service = spawn('ip', ['netns', 'exec', ns, process.execPath, '--experimental-strip-types', join(root, 'tests/support/escl-rig-service.ts'), 'Pemindai Lantai 2', 'Kantor MFP 4100'], { stdio: ['pipe', 'pipe', 'inherit'] });
    announced = await new Promise((resolve, reject) => {
      createInterface({ input: service.stdout! }).once('line', (line) => resolve(JSON.parse(line) as typeof announced));
      service.once('exit', (code) => reject(new Error(`the scanner process ended (${code})`)));
    });
    // Discovery on (its default window); no SANE backend to list.
    host = new DeviceWorkerHost({ spawner: wrappedSpawner(['ip', 'netns', 'exec', ns]), log: collectingLogger(), env: { SANE_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'loket-nosane-')) } });
    await host.start();
    spool = mkdtempSync(join(tmpdir(), 'loket-mdns-spool-'));
  });

  afterAll(async () => {
    await host?.stop();
    service?.stdin?.end();
    if (service && service.exitCode === null) await new Promise((resolve) => service.once('exit', resolve));
    try {
      ip('netns', 'del', ns);
    } catch {
      // not made
    }
    if (spool) rmSync(spool, { recursive: true, force: true });
  });

  it('finds the scanner announced on the network and lists it once, over HTTPS, with its name and address', async () => {
    const { scanners, problems } = await host.request('scanner.list', {});
    const escl = scanners.filter((s) => s.driver === 'escl');
    expect(escl.map((s) => [s.id, s.label, s.connection, s.address, s.model])).toEqual([[`escl:${announced.https}`, 'Pemindai Lantai 2 (127.0.0.1)', 'network', '127.0.0.1', 'Kantor MFP 4100']]);
    expect(escl[0]!.certificate?.sha256).toBe(announced.sha256);
    expect(escl[0]!.capabilities.sources).toEqual(['flatbed', 'adf', 'duplex']);
    expect(problems.filter((p) => p.driver === 'escl')).toEqual([]);
  });

  it('scans from the scanner it found', async () => {
    const device = `escl:${announced.https}`;
    const reply = await host.request('scanner.scan', { device, scanId: 'mdns-1', settings: { source: 'adf', mode: 'gray', resolution: 100, paperSize: 'a4' }, spool }, { timeoutMs: 60_000 });
    expect(reply.pages).toBe(3);
    expect(readdirSync(spool).filter((f) => f.endsWith('.page'))).toHaveLength(3);
  });
});
