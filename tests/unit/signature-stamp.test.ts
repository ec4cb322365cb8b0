// The visible signature stamp's words: the official's NIP when there is one, and no bare "NIP" label
// when there is none (a head who is not a civil servant, a desk without accounts).
import { describe, expect, it } from 'vitest';
import { stampContent } from '../../main/sign/pades/stamp.ts';

const base = { position: 'Kepala Dinas Kesehatan', signedAt: new Date('2026-12-05T03:00:00.000Z'), verificationUrl: null, documentId: '0190f5a2-7c1e-7b3a-9f00-5e1d2c3b4a59', timeZone: 'Asia/Jakarta' } as const;

describe('signature stamp', () => {
  it('names the NIP of an official who has one', () => {
    expect(stampContent({ ...base, name: 'Dr. Ahmad Fauzi', nip: '197001011995031001' }).content).toContain('(NIP 197001011995031001)');
  });

  it('prints no empty NIP line for an official without one', () => {
    const { content } = stampContent({ ...base, name: 'Dr. Ahmad Fauzi', nip: '' });
    expect(content).not.toContain('NIP');
    expect(content).toContain('(Kepala Dinas Kesehatan)');
  });
});
