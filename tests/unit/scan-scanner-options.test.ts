// The desk's scan settings in a real backend's own terms. The SANE test backend covers only one
// naming; these descriptors follow what common backends report (fujitsu: "ADF Duplex", epson2:
// "Automatic Document Feeder" and a word list of resolutions, some backends without a source option).
import { describe, expect, it } from 'vitest';
import type { DeviceReply } from '../../main/devices/protocol.ts';
import { capabilitiesOf, deviceSettings } from '../../main/devices/scanner/sane/options.ts';
import { AppError } from '../../common/errors.ts';

type Option = DeviceReply<'scanner.options'>[number];
const capabilities = { softSelect: true, hardSelect: false, softDetect: true, emulated: false, automatic: false, inactive: false, advanced: false };

function option(name: string, type: Option['type'], constraint: Option['constraint']): Option {
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
    expect((refused as AppError).message).toBe('ADF dupleks tidak tersedia pada pemindai ini. Pilih pengaturan lain lalu pindai lagi.');
    expect(() => deviceSettings({ source: 'adf', mode: 'lineart', resolution: 300, paperSize: 'a4' }, capabilitiesOf(flatbedWithFeeder.filter((o) => o.name !== 'mode').concat(option('mode', 'STRING', { kind: 'stringList', values: ['Gray', 'Color'] }))))).toThrow('Mode hitam-putih tidak tersedia');
  });

  it('treats a scanner without a source option as glass only, and leaves out options it lacks', () => {
    const caps = capabilitiesOf([option('resolution', 'FIXED', { kind: 'range', min: 100, max: 300, quant: 0 })]);
    expect(caps.sources).toEqual({ flatbed: '' });
    expect(deviceSettings({ source: 'flatbed', mode: 'gray', resolution: 150, paperSize: 'a4' }, caps)).toEqual([{ name: 'resolution', value: 150 }]);
  });
});
