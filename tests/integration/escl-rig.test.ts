// The eSCL test rig is real eSCL: Debian's independent client, sane-airscan (through SANE's own
// scanimage, with the rig as a manual device entry in a private SANE_CONFIG_DIR), finds it, scans
// from its glass and its feeder, one side and both, over HTTP and HTTPS, receives exactly the
// pages the rig sent (decoded by libjpeg the same way djpeg does), and reads its jam the way a
// real device's: "Document feeder jammed" after the pages before it. The driver's tests run
// against the same rig, so what they prove holds for a client that is not ours.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEsclRig, type EsclRig, type RigOptions } from '../support/escl-rig.ts';

const rigs: EsclRig[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const rig of rigs.splice(0)) await rig.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const device = 'airscan:e0:Loket Rig';

/** A private SANE configuration loading only sane-airscan, with the rig as its one manual device and discovery off. */
async function rigForAirscan(options: RigOptions = {}): Promise<{ rig: EsclRig; env: NodeJS.ProcessEnv; out: string }> {
  const rig = await startEsclRig(options);
  rigs.push(rig);
  const config = mkdtempSync(join(tmpdir(), 'loket-airscan-'));
  const out = mkdtempSync(join(tmpdir(), 'loket-airscan-out-'));
  dirs.push(config, out);
  writeFileSync(join(config, 'dll.conf'), 'airscan\n');
  writeFileSync(join(config, 'airscan.conf'), `[devices]\n"Loket Rig" = ${rig.url}, eSCL\n\n[options]\ndiscovery = disable\n`);
  return { rig, env: { ...process.env, SANE_CONFIG_DIR: config }, out };
}

function scanimage(env: NodeJS.ProcessEnv, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('scanimage', args, { env });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

/** A PNM file's kind (P5 gray, P6 colour), size and samples. */
function pnm(file: string): { kind: string; width: number; height: number; samples: Buffer } {
  const bytes = readFileSync(file);
  // scanimage writes a comment line ("# SANE data follows") after the magic number.
  const header = /^(P[56])\s+(?:#[^\n]*\n\s*)*(\d+)\s+(\d+)\s+(\d+)\s/.exec(bytes.subarray(0, 128).toString('latin1'));
  if (!header) throw new Error(`${file} is not a binary PNM`);
  return { kind: header[1]!, width: Number(header[2]), height: Number(header[3]), samples: bytes.subarray(header[0].length) };
}

const pages = (out: string) => readdirSync(out).filter((f) => f.endsWith('.pnm')).sort().map((f) => join(out, f));
const a4 = ['-l', '0', '-t', '0', '-x', '210', '-y', '297'];

describe('the eSCL rig, scanned by sane-airscan (Debian’s eSCL client)', () => {
  it('is listed as an eSCL scanner, and gives a ten-sheet feeder batch: ten A4 pages, the very pages the rig sent', async () => {
    const { rig, env, out } = await rigForAirscan({ sheets: 10 });
    const listed = await scanimage(env, ['-L']);
    // sane-airscan names a manual device by its entry ("Loket Rig"), and says it speaks eSCL.
    expect(listed.output).toContain(`device \`${device}' is a eSCL Loket Rig ip=127.0.0.1`);

    const batch = await scanimage(env, ['-d', device, '--source', 'ADF', '--mode', 'Gray', '--resolution', '150', ...a4, '--format=pnm', `--batch=${join(out, 'p%02d.pnm')}`]);
    expect(batch.output).toContain('Batch terminated, 10 pages scanned');
    expect(rig.jobs.map((j) => j.settings)).toEqual([{ inputSource: 'Feeder', colorMode: 'Grayscale8', format: 'image/jpeg', resolution: 150, width: 2480, height: 3508, duplex: false }]);
    const files = pages(out).map(pnm);
    expect(files).toHaveLength(10);
    // A4 at 150 dpi, gray.
    for (const f of files) expect([f.kind, f.width, f.height]).toEqual(['P5', 1240, 1754]);
    // sane-airscan's libjpeg decodes the rig's third page to the same samples as djpeg does.
    const third = rig.jobs[0]!.documents[2]!;
    expect(third.sheet).toBe(3);
    const decoded = execFileSync('djpeg', ['-grayscale', '-pnm'], { input: third.bytes, maxBuffer: 1 << 26 });
    expect(Buffer.compare(files[2]!.samples, decoded.subarray(decoded.length - files[2]!.samples.length))).toBe(0);
  });

  it('scans the glass in colour and both sides of the feeder, over HTTPS with the rig’s own certificate', async () => {
    const { rig, env, out } = await rigForAirscan({ sheets: 3, https: true });
    const glass = await scanimage(env, ['-d', device, '--source', 'Flatbed', '--mode', 'Color', '--resolution', '100', ...a4, '--format=pnm', '-o', join(out, 'glass.pnm')]);
    expect(glass.code, glass.output).toBe(0);
    expect([pnm(join(out, 'glass.pnm')).kind, pnm(join(out, 'glass.pnm')).width]).toEqual(['P6', 827]);
    const duplex = await scanimage(env, ['-d', device, '--source', 'ADF Duplex', '--mode', 'Gray', '--resolution', '100', ...a4, '--format=pnm', `--batch=${join(out, 'd%02d.pnm')}`]);
    expect(duplex.output).toContain('Batch terminated, 6 pages scanned');
    expect(rig.jobs.map((j) => [j.settings.inputSource, j.settings.colorMode, j.settings.duplex])).toEqual([['Platen', 'RGB24', false], ['Feeder', 'Grayscale8', true]]);
    expect(rig.jobs[1]!.documents.map((d) => `${d.sheet} ${d.side}`)).toEqual(['1 depan', '1 belakang', '2 depan', '2 belakang', '3 depan', '3 belakang']);
  });

  it('reads the rig’s jam as a jam, after the pages scanned before it', async () => {
    const { rig, env, out } = await rigForAirscan({ sheets: 10 });
    rig.faults.jamAfterSheets = 3;
    const batch = await scanimage(env, ['-d', device, '--source', 'ADF', '--mode', 'Gray', '--resolution', '100', ...a4, '--format=pnm', `--batch=${join(out, 'p%02d.pnm')}`]);
    expect(batch.output).toContain('Document feeder jammed');
    expect(batch.output).toContain('Batch terminated, 3 pages scanned');
    expect(pages(out)).toHaveLength(3);
  });
});
