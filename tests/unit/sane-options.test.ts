// The desk's scan settings in a real backend's own terms, inside the SANE driver only. The SANE
// test backend covers one naming; these descriptors follow what common backends report (fujitsu:
// "ADF Duplex", epson2: "Automatic Document Feeder" and a word list of resolutions, genesys:
// "Colour", some backends without a source option). What leaves the driver is in desk terms.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../common/errors.ts';
import { SaneError, type OptionDescriptor } from '../../native/sane/index.ts';
import { describe as describeDevice } from '../../main/devices/scanner/sane/driver.ts';
import { saneFault } from '../../main/devices/scanner/sane/faults.ts';
import { capabilitiesOf, deskCapabilities, deviceSettings } from '../../main/devices/scanner/sane/options.ts';

const capabilities = { softSelect: true, hardSelect: false, softDetect: true, emulated: false, automatic: false, inactive: false, advanced: false };

function option(name: string, type: OptionDescriptor['type'], constraint: OptionDescriptor['constraint']): OptionDescriptor {
  return { index: 0, name, title: name, description: '', type, unit: 'NONE', size: 4, capabilities, constraint };
}

const geometry = [
  option('tl-x', 'FIXED', { kind: 'range', min: 0, max: 215.9, quant: 0 }),
  option('tl-y', 'FIXED', { kind: 'range', min: 0, max: 355.6, quant: 0 }),
  option('br-x', 'FIXED', { kind: 'range', min: 0, max: 215.9, quant: 0 }),
  option('br-y', 'FIXED', { kind: 'range', min: 0, max: 355.6, quant: 0 }),
];

const sheetFed = [
  option('source', 'STRING', { kind: 'stringList', values: ['ADF Front', 'ADF Back', 'ADF Duplex'] }),
  option('mode', 'STRING', { kind: 'stringList', values: ['Lineart', 'Halftone', 'Gray', 'Color'] }),
  option('resolution', 'INT', { kind: 'range', min: 50, max: 600, quant: 1 }),
  ...geometry,
];

const flatbedWithFeeder = [
  option('mode', 'STRING', { kind: 'stringList', values: ['Binary', 'Gray', 'Color'] }),
  option('depth', 'INT', { kind: 'wordList', values: [8, 16] }),
  option('resolution', 'INT', { kind: 'wordList', values: [75, 150, 300, 600, 1200] }),
  option('source', 'STRING', { kind: 'stringList', values: ['Flatbed', 'Automatic Document Feeder'] }),
  ...geometry,
];

const britishFlatbedWithDuplexFeeder = [
  option('mode', 'STRING', { kind: 'stringList', values: ['Colour', 'Grey', 'Black & White'] }),
  option('resolution', 'FIXED', { kind: 'range', min: 75, max: 300, quant: 0 }),
  option('source', 'STRING', { kind: 'stringList', values: ['Platen', 'Automatic Document Feeder', 'ADF Duplex'] }),
  option('br-x', 'FIXED', { kind: 'range', min: 0, max: 216, quant: 0 }),
  option('br-y', 'FIXED', { kind: 'range', min: 0, max: 297, quant: 0 }),
];

describe('scanner options in the desk’s terms', () => {
  it('finds feeder, duplex and modes under a sheet-fed scanner’s own names, and offers its resolutions', () => {
    const caps = capabilitiesOf(sheetFed);
    expect(caps.sources).toEqual({ adf: 'ADF Front', duplex: 'ADF Duplex' });
    expect(caps.modes).toEqual({ lineart: 'Lineart', gray: 'Gray', color: 'Color' });
    expect(caps.resolutions).toEqual([100, 150, 200, 300, 400, 600]);
    expect(deviceSettings({ source: 'duplex', mode: 'gray', resolution: 200, paperSize: 'f4' }, caps)).toEqual([
      { name: 'mode', value: 'Gray' },
      { name: 'source', value: 'ADF Duplex' },
      { name: 'resolution', value: 200 },
      { name: 'tl-x', value: 0 },
      { name: 'tl-y', value: 0 },
      { name: 'br-x', value: 215 },
      { name: 'br-y', value: 330 },
    ]);
  });

  it('sets the whole option set for a flatbed with feeder, 8-bit samples, and clamps the paper to the glass', () => {
    const caps = capabilitiesOf(flatbedWithFeeder);
    expect(caps.sources).toEqual({ flatbed: 'Flatbed', adf: 'Automatic Document Feeder' });
    expect(caps.resolutions).toEqual([150, 300, 600]);
    const settings = deviceSettings({ source: 'flatbed', mode: 'color', resolution: 300, paperSize: 'legal' }, caps);
    expect(settings.map((s) => s.name)).toEqual(['mode', 'depth', 'source', 'resolution', 'tl-x', 'tl-y', 'br-x', 'br-y']);
    expect(settings.find((s) => s.name === 'depth')?.value).toBe(8);
    expect(settings.find((s) => s.name === 'br-y')?.value).toBe(355.6);
  });

  it('says in Indonesian when a source or mode is not offered, instead of scanning with something else', () => {
    const caps = capabilitiesOf(flatbedWithFeeder);
    const refused = (() => {
      try {
        deviceSettings({ source: 'duplex', mode: 'gray', resolution: 300, paperSize: 'a4' }, caps);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('SCANNER_UNSUPPORTED');
    expect((refused as AppError).message).toBe('ADF dupleks tidak tersedia pada pemindai ini. Pilih pengaturan lain lalu pindai lagi.');
    expect(() => deviceSettings({ source: 'adf', mode: 'lineart', resolution: 300, paperSize: 'a4' }, capabilitiesOf(flatbedWithFeeder.filter((o) => o.name !== 'mode').concat(option('mode', 'STRING', { kind: 'stringList', values: ['Gray', 'Color'] }))))).toThrow('Mode hitam-putih tidak tersedia');
  });

  it('treats a scanner without a source option as glass only, and leaves out options it lacks', () => {
    const caps = capabilitiesOf([option('resolution', 'FIXED', { kind: 'range', min: 100, max: 300, quant: 0 })]);
    expect(caps.sources).toEqual({ flatbed: '' });
    expect(deviceSettings({ source: 'flatbed', mode: 'gray', resolution: 150, paperSize: 'a4' }, caps)).toEqual([{ name: 'resolution', value: 150 }]);
    expect(deskCapabilities(caps)).toEqual({ sources: ['flatbed'], modes: [], resolutions: [100, 150, 200, 300], maxArea: null, paperSizes: ['a4', 'f4', 'letter', 'legal'] });
  });

  it('hands the desk only its own terms: "Platen", "ADF Duplex", "Colour" and "Grey" stay inside the SANE driver', () => {
    const saneCaps = capabilitiesOf(britishFlatbedWithDuplexFeeder);
    const desk = deskCapabilities(saneCaps);
    expect(desk).toEqual({
      sources: ['flatbed', 'adf', 'duplex'],
      modes: ['color', 'gray', 'lineart'],
      resolutions: [100, 150, 200, 300],
      maxArea: { widthMm: 216, heightMm: 297 },
      // F4 and Legal are longer than this glass; they are scanned cut to it.
      paperSizes: ['a4', 'letter'],
    });
    expect(JSON.stringify(desk)).not.toMatch(/Platen|Automatic|ADF|Colour|Grey|Black/);
    // The device's own names come back only as the option values the driver sets.
    expect(deviceSettings({ source: 'duplex', mode: 'color', resolution: 300, paperSize: 'f4' }, saneCaps)).toEqual([
      { name: 'mode', value: 'Colour' },
      { name: 'source', value: 'ADF Duplex' },
      { name: 'resolution', value: 300 },
      { name: 'br-x', value: 215 },
      { name: 'br-y', value: 297 },
    ]);
    expect(deviceSettings({ source: 'adf', mode: 'lineart', resolution: 150, paperSize: 'a4' }, saneCaps).slice(0, 2)).toEqual([
      { name: 'mode', value: 'Black & White' },
      { name: 'source', value: 'Automatic Document Feeder' },
    ]);
  });
});

describe('SANE devices in the desk’s terms', () => {
  it('names the test backend the demo scanner, and says where a network scanner is', () => {
    expect(describeDevice({ name: 'test:0', vendor: 'Noname', model: 'frontend-tester', type: 'virtual device' })).toEqual({
      name: 'test:0', label: 'Pemindai uji (demo)', vendor: 'Noname', model: 'frontend-tester', demo: true, connection: 'local', address: null,
    });
    expect(describeDevice({ name: 'fujitsu:fi-7160:137821', vendor: 'FUJITSU', model: 'fi-7160', type: 'scanner' })).toMatchObject({ label: 'FUJITSU fi-7160', demo: false, connection: 'local', address: null });
    expect(describeDevice({ name: 'net:192.168.10.7:fujitsu:fi-7160:137821', vendor: 'FUJITSU', model: 'fi-7160', type: 'scanner' })).toMatchObject({ label: 'FUJITSU fi-7160 (192.168.10.7)', connection: 'network', address: '192.168.10.7' });
    expect(describeDevice({ name: 'net:[fe80::1]:test:0', vendor: 'Noname', model: 'frontend-tester', type: 'virtual device' })).toMatchObject({ demo: false, connection: 'network', address: 'fe80::1' });
    expect(describeDevice({ name: 'escl:http://10.0.0.21:80', vendor: 'HP', model: 'LaserJet MFP M428', type: 'flatbed scanner' })).toMatchObject({ label: 'HP LaserJet MFP M428 (10.0.0.21)', connection: 'network', address: '10.0.0.21' });
    expect(describeDevice({ name: 'airscan:e0:EPSON L6270', vendor: 'EPSON', model: 'L6270', type: 'ip=10.0.0.33' })).toMatchObject({ connection: 'network', address: '10.0.0.33' });
  });

  it('tells the clerk what a SANE status means, with the pages already scanned; a bug is not dressed up as a scanner fault', () => {
    const jam = saneFault(new SaneError('JAMMED', { device: 'fujitsu:fi-7160:1', during: 'read', pagesCompleted: 3 }), 'fujitsu:fi-7160:1');
    expect(jam).toMatchObject({ code: 'SCANNER_JAMMED', details: { status: 'JAMMED', device: 'fujitsu:fi-7160:1', during: 'read', pagesCompleted: 3 } });
    expect(jam.message).toBe('Kertas macet di pemindai. Halaman yang sudah terpindai tetap tersimpan; rapikan kertas lalu lanjutkan. Halaman 1–3 sudah terpindai.');
    expect(saneFault(new SaneError('INVAL', { device: 'test:7', during: 'open' }), 'test:7').code).toBe('SCANNER_NOT_FOUND');
    expect(saneFault(new SaneError('INVAL', { device: 'test:0', during: 'set option mode', option: 'mode' }), 'test:0')).toMatchObject({ code: 'SCANNER_INVALID', details: { option: 'mode' } });
    expect(saneFault(new TypeError('x is not a function'), 'test:0').code).toBe('INTERNAL');
  });
});

describe('where SANE’s vocabulary may appear', () => {
  const root = join(import.meta.dirname, '..', '..');
  const sources = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
      .map((e) => relative(root, join(e.parentPath, e.name)));
  const outsideTheDriver = [...sources('main'), ...sources('common'), ...sources('renderer/src')].filter((f) => !f.startsWith('main/devices/scanner/sane/'));

  it('only the SANE driver loads the SANE package or names SANE options and statuses', () => {
    const offenders = outsideTheDriver.filter((file) => {
      const text = readFileSync(join(root, file), 'utf8');
      return /native\/sane\/|scanner\/sane\/|['"](tl-x|tl-y|br-x|br-y|read-return-value|test-picture)['"]|SANE_STATUS_|frontend-tester/.test(text);
    });
    expect(offenders).toEqual([]);
    // The check reads what it should: the driver itself is full of them.
    expect(readFileSync(join(root, 'main/devices/scanner/sane/options.ts'), 'utf8')).toMatch(/'br-x'/);
    expect(outsideTheDriver).toContain('main/scan/session.ts');
  });
});
