// Scanning from a network scanner at the desk, with real parts: the device worker forked from the
// sources (its eSCL driver), the eSCL test rig on 127.0.0.1, the page pipeline's worker thread,
// SQLite and the blob store. What a clerk and an admin notice: a scanner added by its address is
// listed with its name and where it is, and remembered; a duplex feeder batch arrives page by page
// and becomes a PDF; a jam, or a scanner that disappears mid-batch, keeps the pages before it with
// the clerk's message; an HTTPS scanner's certificate is pinned on first use, a changed one is
// refused until an admin trusts what the scanner presents; only an admin may change these.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../common/errors.ts';
import type { ScanSettings } from '../../common/ipc/scan.ts';
import { collectingLogger } from '../../common/logger.ts';
import { DeviceWorkerHost, forkSpawner } from '../../main/devices/host.ts';
import { createBlobStore } from '../../main/documents/blob-store.ts';
import { createNetworkScanners, type NetworkScanners } from '../../main/scan/network-scanners.ts';
import { createPagePipeline } from '../../main/scan/pipeline/pipeline.ts';
import { createScanDesk, type ScanDesk } from '../../main/scan/session.ts';
import { openStore, type Store } from '../../main/store/store.ts';
import { startEsclRig, type EsclRig, type RigOptions } from '../support/escl-rig.ts';

const pipeline = createPagePipeline();
let host: DeviceWorkerHost;
const cleanups: (() => void | Promise<void>)[] = [];

beforeAll(async () => {
  // Network scanners only: no discovery (the rig is entered by address), no SANE backend.
  host = new DeviceWorkerHost({ spawner: forkSpawner, log: collectingLogger(), env: { LOKET_ESCL_DISCOVERY_MS: '0', SANE_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'loket-nosane-')) } });
  await host.start();
});
afterAll(async () => {
  await host.stop();
  await pipeline.close();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Desk {
  desk: ScanDesk;
  network: NetworkScanners;
  store: Store;
  dir: string;
  rig: EsclRig;
}

async function newDesk(rigOptions: RigOptions = {}, options: { admin?: boolean } = {}): Promise<Desk> {
  const rig = await startEsclRig(rigOptions);
  const dir = mkdtempSync(join(tmpdir(), 'loket-escl-scan-'));
  const store = openStore(join(dir, 'loket.db'));
  const network = createNetworkScanners({ store, actor: () => 'admin-kantor', mayAdminister: () => options.admin ?? true });
  const desk = createScanDesk({
    devices: host,
    pipeline,
    blobs: createBlobStore(join(dir, 'documents')),
    store,
    pagesDir: join(dir, 'scan-sessions'),
    emit: () => undefined,
    actor: () => 'meja:uji',
    log: collectingLogger(),
    network,
  });
  cleanups.push(async () => {
    await desk.idle();
    store.close();
    await rig.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { desk, network, store, dir, rig };
}

const duplexGray: ScanSettings = { source: 'duplex', mode: 'gray', resolution: 100, paperSize: 'a4' };

async function scan(desk: ScanDesk, device: string, settings: ScanSettings) {
  await desk.start({ device, settings, placement: { kind: 'append' } });
  await desk.idle();
  return desk.snapshot();
}

describe('scanning from a network scanner at the desk', () => {
  it('lists a scanner an admin added by its address, with its name and address, remembers it, and scans a duplex batch into one PDF', async () => {
    const { desk, network, store, dir, rig } = await newDesk({ makeAndModel: 'Kantor MFP 4100', sheets: 5 });
    // Typed as a person would: the address and port, no scheme or path.
    const added = network.add({ url: `127.0.0.1:${rig.port}`, label: 'Pemindai Lantai 2' });
    expect(added).toMatchObject({ url: rig.url, label: 'Pemindai Lantai 2', address: '127.0.0.1', origin: 'manual', certificate: null, lastSeenAt: null });
    const { scanners, problems } = await desk.listDevices();
    const device = `escl:${rig.url}`;
    expect(scanners.map((s) => [s.id, s.label, s.connection, s.address])).toEqual([[device, 'Pemindai Lantai 2 (127.0.0.1)', 'network', '127.0.0.1']]);
    expect(problems.filter((p) => p.driver === 'escl')).toEqual([]);
    expect(store.networkScanners.get(rig.url)).toMatchObject({ name: 'Pemindai Lantai 2 (127.0.0.1)', lastSeenAt: expect.any(String) });

    const session = await scan(desk, device, duplexGray);
    expect(session.fault).toBeNull();
    expect(session.pages).toHaveLength(10);
    expect(store.scanProfiles.lastScanner()).toBe(device);
    const [letter] = await desk.save('Undangan rapat');
    expect(letter).toMatchObject({ pageCount: 10 });
    const pdf = join(dir, 'documents', letter!.documentId.slice(0, 2), letter!.documentId.slice(2, 4), letter!.documentId);
    expect(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })).toMatch(/Pages:\s+10\n/);
    expect(store.audit.list({ limit: 20 }).map((e) => e.action)).toContain('scanner.network-added');
  });

  it('keeps the pages before a jam, and before the scanner disappears, with the clerk’s messages', async () => {
    const jammed = await newDesk({ sheets: 10 });
    jammed.network.add({ url: jammed.rig.url });
    jammed.rig.faults.jamAfterSheets = 3;
    const afterJam = await scan(jammed.desk, `escl:${jammed.rig.url}`, { ...duplexGray, source: 'adf' });
    expect(afterJam.pages).toHaveLength(3);
    expect(afterJam.fault).toEqual({ code: 'SCANNER_JAMMED', pagesKept: 3, message: 'Kertas macet — halaman 1–3 sudah tersimpan. Rapikan kertas, letakkan lagi lembar berikutnya, lalu pindai untuk melanjutkan.' });

    const gone = await newDesk({ sheets: 10 });
    gone.network.add({ url: gone.rig.url });
    gone.rig.faults.disappearAfterDocuments = 4;
    const afterLoss = await scan(gone.desk, `escl:${gone.rig.url}`, { ...duplexGray, source: 'adf' });
    expect(afterLoss.pages).toHaveLength(4);
    expect(afterLoss.fault).toEqual({ code: 'SCANNER_IO', pagesKept: 4, message: 'Sambungan ke pemindai terputus — halaman 1–4 sudah tersimpan. Periksa kabel atau jaringan dan daya pemindai, lalu pindai untuk melanjutkan.' });
  });

  it('pins an HTTPS scanner’s certificate on first use; a changed one is refused until an admin trusts what the scanner presents', async () => {
    const { desk, network, store, rig } = await newDesk({ https: true, sheets: 2 });
    network.add({ url: rig.url });
    const device = `escl:${rig.url}`;
    const first = await desk.listDevices();
    expect(first.scanners.map((s) => s.certificate?.sha256)).toEqual([rig.certificateSha256()]);
    expect(store.networkScanners.get(rig.url)?.certificate).toMatchObject({ sha256: rig.certificateSha256(), trustedBy: 'first-use' });
    expect((await scan(desk, device, { ...duplexGray, source: 'flatbed' })).pages).toHaveLength(1);

    const pinned = rig.certificateSha256();
    rig.replaceCertificate();
    const changed = await desk.listDevices();
    expect(changed.scanners).toEqual([]);
    // Only the network scanner's problem: a desk without SANE also reports SANE's absence, which is not this story.
    expect(changed.problems.filter((p) => p.driver === 'escl').map((p) => [p.device?.id, p.error.code, p.presented?.sha256])).toEqual([[device, 'SCANNER_CERTIFICATE_CHANGED', rig.certificateSha256()]]);
    // Still the old pin: nothing changes by itself.
    expect(store.networkScanners.get(rig.url)?.certificate?.sha256).toBe(pinned);
    const refused = await desk.start({ device, settings: duplexGray, placement: { kind: 'append' } }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('SCANNER_CERTIFICATE_CHANGED');

    // Only the certificate the scanner presented can be trusted, not a fingerprint typed in.
    expect(() => network.trust(rig.url, pinned!)).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    const trusted = network.trust(rig.url, rig.certificateSha256()!);
    expect(trusted.certificate).toMatchObject({ sha256: rig.certificateSha256(), trustedBy: 'admin-kantor' });
    expect((await desk.listDevices()).scanners.map((s) => s.id)).toEqual([device]);
    expect((await scan(desk, device, { ...duplexGray, source: 'flatbed' })).pages).toHaveLength(2);
    const trustEntries = store.audit.list({ limit: 20 }).filter((e) => e.action === 'scanner.certificate-trusted');
    expect(trustEntries).toHaveLength(2);
  });

  it('on a desk with a server, only an admin adds, forgets or trusts network scanners; a bad address is refused in Indonesian', async () => {
    const clerk = await newDesk({}, { admin: false });
    expect(() => clerk.network.add({ url: clerk.rig.url })).toThrow(expect.objectContaining({ code: 'SCANNER_ADMIN_REQUIRED' }));
    expect(clerk.store.networkScanners.list()).toEqual([]);
    expect(clerk.network.list().editable).toBe(false);
    const admin = await newDesk();
    expect(() => admin.network.add({ url: 'ftp://10.0.0.5/scan' })).toThrow(expect.objectContaining({ code: 'VALIDATION', message: expect.stringContaining('Alamat pemindai tidak dikenali') }));
    expect(admin.network.add({ url: '10.0.0.5' }).url).toBe('http://10.0.0.5:80/eSCL');
    expect(admin.network.remove('http://10.0.0.5:80/eSCL')).toEqual({ removed: true });
    expect(admin.store.networkScanners.list()).toEqual([]);
  });
});
