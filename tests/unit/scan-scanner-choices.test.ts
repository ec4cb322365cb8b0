// Which scanners the Pindai screen offers, from what the device worker listed: a desk with a real
// scanner never shows the demo, a desk without one gets "Pemindai uji (demo)", each choice carries
// the scanner's id, where it is and what it can do, whichever driver reaches it, and a network
// scanner that SANE reaches too (its escl/airscan backends) is offered once, by the eSCL driver.
import { describe, expect, it } from 'vitest';
import type { Scanner } from '../../main/devices/scanner/types.ts';
import { scannerChoices, scannerNotes } from '../../main/scan/handlers.ts';

function scanner(id: string, label: string, demo: boolean, sources: Scanner['capabilities']['sources'] = ['flatbed', 'adf'], where: Partial<Pick<Scanner, 'connection' | 'address' | 'certificate'>> = {}): Scanner {
  return {
    id, driver: id.slice(0, id.indexOf(':')), label, vendor: '', model: '', connection: 'local', address: null, demo, ...where,
    capabilities: { sources, modes: ['color', 'gray'], resolutions: [100, 200, 300], maxArea: { widthMm: 216, heightMm: 356 }, paperSizes: ['a4', 'f4', 'letter', 'legal'] },
  };
}

const certificate = { sha256: 'AB:CD', subject: 'NPI1A2B3C', issuer: 'NPI1A2B3C', validTo: '2030-01-01T00:00:00.000Z' };

describe('the scanners Pindai offers', () => {
  it('hides the demo scanner as soon as a real one is listed, and says where each one is', () => {
    const choices = scannerChoices([
      scanner('sane:test:0', 'Pemindai uji (demo)', true),
      scanner('sane:fujitsu:fi-7160:1', 'FUJITSU fi-7160', false, ['adf', 'duplex']),
      scanner('escl:https://10.0.0.21:443/eSCL', 'HP LaserJet MFP (10.0.0.21)', false, ['flatbed', 'adf'], { connection: 'network', address: '10.0.0.21', certificate }),
    ]);
    expect(choices).toEqual([
      { name: 'sane:fujitsu:fi-7160:1', label: 'FUJITSU fi-7160', demo: false, connection: 'local', address: null, driver: 'sane', certificate: null, sources: ['adf', 'duplex'], modes: ['color', 'gray'], resolutions: [100, 200, 300] },
      { name: 'escl:https://10.0.0.21:443/eSCL', label: 'HP LaserJet MFP (10.0.0.21)', demo: false, connection: 'network', address: '10.0.0.21', driver: 'escl', certificate, sources: ['flatbed', 'adf'], modes: ['color', 'gray'], resolutions: [100, 200, 300] },
    ]);
  });

  it('offers the demo scanner on a desk without hardware, numbered when there are several', () => {
    expect(scannerChoices([scanner('sane:test:0', 'Pemindai uji (demo)', true)]).map((c) => [c.name, c.label, c.demo])).toEqual([['sane:test:0', 'Pemindai uji (demo)', true]]);
    expect(scannerChoices([scanner('sane:test:0', 'Pemindai uji (demo)', true), scanner('sane:test:1', 'Pemindai uji (demo)', true)]).map((c) => c.label)).toEqual(['Pemindai uji (demo) 1', 'Pemindai uji (demo) 2']);
    expect(scannerChoices([])).toEqual([]);
  });

  it('offers a network scanner once when SANE reaches it too, by the eSCL driver; another SANE network scanner stays', () => {
    const choices = scannerChoices([
      scanner('sane:airscan:e0:HP MFP', 'HP MFP (10.0.0.21)', false, ['flatbed'], { connection: 'network', address: '10.0.0.21' }),
      scanner('sane:net:10.0.0.9:fujitsu:fi-7160', 'FUJITSU fi-7160 (10.0.0.9)', false, ['adf'], { connection: 'network', address: '10.0.0.9' }),
      scanner('escl:http://10.0.0.21:80/eSCL', 'HP MFP (10.0.0.21)', false, ['flatbed'], { connection: 'network', address: '10.0.0.21' }),
    ]);
    expect(choices.map((c) => c.name)).toEqual(['sane:net:10.0.0.9:fujitsu:fi-7160', 'escl:http://10.0.0.21:80/eSCL']);
  });

  it('names what cannot be used, with the clerk’s message and the address the desk trusts a certificate for', () => {
    const presented = { ...certificate, sha256: 'EF:01' };
    expect(scannerNotes([
      { driver: 'sane', device: null, error: { code: 'SCANNER_SANE_UNAVAILABLE', message: 'SANE tidak tersedia di komputer ini, …' }, presented: null },
      { driver: 'escl', device: { id: 'escl:https://10.0.0.21:443/eSCL', label: 'HP (10.0.0.21)', address: '10.0.0.21' }, error: { code: 'SCANNER_CERTIFICATE_CHANGED', message: 'Sertifikat …' }, presented },
    ])).toEqual([
      { code: 'SCANNER_SANE_UNAVAILABLE', message: 'SANE tidak tersedia di komputer ini, …', device: null, presented: null, url: null },
      { code: 'SCANNER_CERTIFICATE_CHANGED', message: 'Sertifikat …', device: { id: 'escl:https://10.0.0.21:443/eSCL', label: 'HP (10.0.0.21)', address: '10.0.0.21' }, presented, url: 'https://10.0.0.21:443/eSCL' },
    ]);
  });
});
