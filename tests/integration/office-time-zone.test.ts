// The office's time zone around midnight, on a machine that runs in UTC: an office in Makassar (WITA)
// or Jayapura (WIT) reads the day and the hour of its own clock on the lists, the signature stamp,
// Periksa's report, the buku agenda, lembar disposisi, a certificate's refusal and the public
// verification page — never the machine's UTC day, never WIB.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signingRefusal, type CertificateInfo } from '../../common/certificate.ts';
import { formatMoment, localDate } from '../../common/dates.ts';
import { AppError } from '../../common/errors.ts';
import { collectingLogger } from '../../common/logger.ts';
import { exportAgendaBook } from '../../main/letters/incoming/agenda-book.ts';
import { dispositionSheetPdf } from '../../main/letters/disposition/sheet.ts';
import { stampContent } from '../../main/sign/pades/stamp.ts';
import { validationReportPdf } from '../../main/sign/report-pdf.ts';
import { openStore, type Store } from '../../main/store/store.ts';
import { applyTimeZone, formatDay, formatMoment as shownMoment } from '../../renderer/src/i18n/index.ts';
import { verificationPage } from '../../server/signing/page.ts';
import type { Trail } from '../../common/ipc/disposition.ts';
import type { ValidationReportView } from '../../common/ipc/sign.ts';

/** 16:30 UTC on 4 December: 23.30 WIB on the 4th, 00.30 WITA and 01.30 WIT on the 5th. */
const lateEvening = new Date('2026-12-04T16:30:00.000Z');

let machineZone: string | undefined;
beforeAll(() => {
  machineZone = process.env.TZ;
  process.env.TZ = 'UTC';
});
afterAll(() => {
  if (machineZone === undefined) delete process.env.TZ;
  else process.env.TZ = machineZone;
  applyTimeZone('Asia/Jakarta');
});

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'loket-zone-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function pdfText(pdf: Uint8Array): string {
  const file = join(dir, 'out.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-raw', file, '-']).toString().replace(/\s+/g, ' ');
}

describe('a day and an hour at the office, not on the machine', () => {
  it('the machine runs in UTC, and the date is still the office’s', () => {
    expect(new Date(lateEvening).getDate()).toBe(4);
    expect(localDate(lateEvening, 'Asia/Jakarta')).toBe('2026-12-04');
    expect(localDate(lateEvening, 'Asia/Makassar')).toBe('2026-12-05');
    expect(localDate(lateEvening, 'Asia/Jayapura')).toBe('2026-12-05');
    expect(formatMoment(lateEvening, 'Asia/Jakarta', 'id', 'long')).toBe('4 Desember 2026 23.30 WIB');
    expect(formatMoment(lateEvening, 'Asia/Makassar', 'id', 'long')).toBe('5 Desember 2026 00.30 WITA');
    expect(formatMoment(lateEvening, 'Asia/Jayapura', 'id')).toBe('5 Des 2026 01.30 WIT');
  });

  it('the lists show the day of a moment at the office (Konsep, Disposisi, scanners), with the zone after a time', () => {
    applyTimeZone('Asia/Makassar');
    expect(formatDay(lateEvening.toISOString(), 'id')).toBe('5 Des 2026');
    expect(shownMoment(lateEvening.toISOString(), 'id')).toBe('5 Des 2026 00.30 WITA');
    applyTimeZone('Asia/Jakarta');
    expect(formatDay(lateEvening.toISOString(), 'id')).toBe('4 Des 2026');
  });

  it('the signature stamp writes the signing time in WIT for an office in Jayapura', () => {
    const { content } = stampContent({
      name: 'Budi Santoso', nip: '198001012005011001', position: 'Kepala Dinas', signedAt: lateEvening,
      verificationUrl: null, documentId: '0190f5a2-7c1e-7b3a-9f00-5e1d2c3b4a59', timeZone: 'Asia/Jayapura',
    });
    expect(content).toContain('(pada 5 Desember 2026 01.30 WIT)');
  });

  it('a certificate that expired at 23.30 WIB on the 4th expired on the 5th in Makassar', () => {
    const info = { commonName: 'Budi Santoso', validFrom: '2024-01-01T00:00:00.000Z', validTo: lateEvening.toISOString(), keyUsage: ['digitalSignature'] } as CertificateInfo;
    const refusal = signingRefusal(info, new Date('2026-12-10T00:00:00.000Z'), 'Asia/Makassar');
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal!.message).toContain('kedaluwarsa sejak 5 Desember 2026');
  });

  it('Periksa’s report PDF says when it was checked in WITA', async () => {
    const report = { fileName: 'surat.pdf', documentHash: 'ab'.repeat(32), verdict: 'unsigned' as const, document: { state: 'readable' as const, problem: null }, signatures: [], warnings: [], valid: false } satisfies ValidationReportView;
    expect(pdfText(await validationReportPdf(report, 'Asia/Makassar', lateEvening))).toContain('Diperiksa: 5 Desember 2026 00.30 WITA');
  });

  it('the public verification page shows the signing time as the stamp did, in WIT', () => {
    const html = verificationPage({
      kind: 'signed', voided: null, letterNumber: '800/12/DINKES/2026', letterDate: '2026-12-05', subject: 'Undangan', office: 'Dinas Kesehatan',
      signatures: [{ name: 'Budi Santoso', position: 'Kepala Dinas', signedAt: lateEvening.toISOString(), timeZone: 'Asia/Jayapura' }], fileHashes: [],
    }, '0190f5a2-7c1e-7b3a-9f00-5e1d2c3b4a59');
    expect(html).toContain('<dd data-field="signedAt">5 Desember 2026 01.30 WIT</dd>');
  });

  it('lembar disposisi dates a disposition sent at 00.30 WITA on the 5th', async () => {
    const trail = {
      letter: { id: 'x', agenda: '0005/UMUM/2026', letterNumber: '005/1/2026', letterDate: '2026-12-01', receivedAt: lateEvening.toISOString(), sender: 'Bappeda', subject: 'Rapat', urgency: 'biasa', security: 'biasa' },
      nodes: [],
    } as unknown as Trail;
    const text = pdfText(await dispositionSheetPdf(trail, { paper: 'A4', officeName: 'Dinas Kesehatan', printedAt: lateEvening.toISOString(), timeZone: 'Asia/Makassar' }));
    expect(text).toContain('Dicetak 5 Desember 2026');
  });
});

describe('the office’s zone is a setting of the desk', () => {
  let store: Store;
  beforeEach(() => { store = openStore(join(dir, 'loket.sqlite'), { log: collectingLogger() }); });
  afterEach(() => store.close());

  it('starts at WIB, is changed to WITA with the change in the activity log, and the buku agenda is printed in it', async () => {
    expect(store.settings.get().timeZone).toBe('Asia/Jakarta');
    store.settings.update({ timeZone: 'Asia/Makassar' }, 'admin');
    expect(store.settings.get().timeZone).toBe('Asia/Makassar');
    expect(store.audit.list({ limit: 5 }).some((e) => e.action === 'settings.updated' && JSON.stringify(e.details).includes('Asia/Makassar'))).toBe(true);
    const { pdf } = await exportAgendaBook(store, { from: '2026-12-01', to: '2026-12-31' }, 'admin', lateEvening, new AbortController().signal);
    expect(pdfText(pdf)).toContain('Dicetak 5 Desember 2026 00.30 WITA');
  });

  it('refuses a zone that is not WIB, WITA or WIT, in words a clerk reads', () => {
    expect(() => store.settings.update({ timeZone: 'UTC' as never }, 'admin')).toThrow('Zona waktu kantor harus WIB, WITA atau WIT');
    expect(store.settings.get().timeZone).toBe('Asia/Jakarta');
  });
});
