// Which scanners the Pindai screen offers, from what the device worker listed: a desk with a real
// scanner never shows the demo, a desk without one gets "Pemindai uji (demo)", and each choice
// carries the scanner's id and what it can do, whichever driver reaches it.
import { describe, expect, it } from 'vitest';
import type { Scanner } from '../../main/devices/scanner/types.ts';
import { scannerChoices } from '../../main/scan/handlers.ts';

function scanner(id: string, label: string, demo: boolean, sources: Scanner['capabilities']['sources'] = ['flatbed', 'adf']): Scanner {
  return {
    id, driver: id.slice(0, id.indexOf(':')), label, vendor: '', model: '', connection: 'local', address: null, demo,
    capabilities: { sources, modes: ['color', 'gray'], resolutions: [100, 200, 300], maxArea: { widthMm: 216, heightMm: 356 }, paperSizes: ['a4', 'f4', 'letter', 'legal'] },
  };
}

describe('the scanners Pindai offers', () => {
  it('hides the demo scanner as soon as a real one is listed', () => {
    const choices = scannerChoices([scanner('sane:test:0', 'Pemindai uji (demo)', true), scanner('sane:fujitsu:fi-7160:1', 'FUJITSU fi-7160', false, ['adf', 'duplex']), scanner('escl:10.0.0.21', 'HP LaserJet MFP (10.0.0.21)', false)]);
    expect(choices).toEqual([
      { name: 'sane:fujitsu:fi-7160:1', label: 'FUJITSU fi-7160', demo: false, sources: ['adf', 'duplex'], modes: ['color', 'gray'], resolutions: [100, 200, 300] },
      { name: 'escl:10.0.0.21', label: 'HP LaserJet MFP (10.0.0.21)', demo: false, sources: ['flatbed', 'adf'], modes: ['color', 'gray'], resolutions: [100, 200, 300] },
    ]);
  });

  it('offers the demo scanner on a desk without hardware, numbered when there are several', () => {
    expect(scannerChoices([scanner('sane:test:0', 'Pemindai uji (demo)', true)]).map((c) => [c.name, c.label, c.demo])).toEqual([['sane:test:0', 'Pemindai uji (demo)', true]]);
    expect(scannerChoices([scanner('sane:test:0', 'Pemindai uji (demo)', true), scanner('sane:test:1', 'Pemindai uji (demo)', true)]).map((c) => c.label)).toEqual(['Pemindai uji (demo) 1', 'Pemindai uji (demo) 2']);
    expect(scannerChoices([])).toEqual([]);
  });
});
