// The office's time zone on the server's office record, through the real server (SQLite and
// PostgreSQL): the admin kantor of the Dinas Kesehatan, an office in Makassar, sets WITA at their
// desk; the operator's desk, never set, takes it after sync and prints the buku agenda in WITA; a
// desk of another office stays in WIB; the server's refusal of a signature and the public
// verification page say WITA. A non-admin's change of the office's zone is refused by the server.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../common/ids.ts';
import { exportAgendaBook } from '../../main/letters/incoming/agenda-book.ts';
import { setOfficeTimeZone } from '../../main/office/record.ts';
import { backendNames, type Session } from '../support/server.ts';
import { serverWithDesks } from '../support/server-desks.ts';

/** 16:30 UTC on 4 December: 23.30 WIB on the 4th, 00.30 WITA on the 5th. */
const lateEvening = new Date('2026-12-04T16:30:00.000Z');

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'loket-office-zone-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pdfText(pdf: Uint8Array): string {
  const file = join(dir, 'buku.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-raw', file, '-']).toString().replace(/\s+/g, ' ');
}

describe.each(backendNames())('on %s', (backend) => {
  const env = serverWithDesks(backend);

  async function desk(username: string) {
    const d = await env.desk(username);
    const sync = async () => expect(await d.sync.engine.syncNow()).toMatchObject({ lastError: null });
    return { d, sync };
  }

  const login = (username: string) => env.srv.login(username, `desk-${username.replaceAll('.', '-')}`);
  async function push(session: Session, kind: string, payload: unknown): Promise<{ outcome: string; message?: string }> {
    const r = await env.srv.pushOne(session, kind, payload);
    return r.status === 'rejected' ? { outcome: r.code, message: r.reason } : { outcome: r.status };
  }
  async function outgoingLetter(session: Session): Promise<string> {
    const lease = await env.srv.call('POST', '/numbering/lease', { token: session.accessToken, json: { book: 'out', year: 2026, count: 1 } });
    expect(lease.status, lease.body.toString()).toBe(201);
    const letterId = uuidv7();
    expect((await push(session, 'letter.register', {
      letterId, direction: 'out', year: 2026, agendaNumber: (lease.json as { first: number }).first, receivedAt: null, letterNumber: '440/12/Dinkes/2026',
      letterDate: '2026-12-04', sender: 'Dinas Kesehatan', addressee: 'Kepala Puskesmas', subject: 'Pemberitahuan jadwal imunisasi', summary: '',
      urgency: 'biasa', security: 'biasa', classification: '440', attachments: [],
    })).outcome).toBe('applied');
    return letterId;
  }
  const signature = (letterId: string, signerUserId: string) => ({
    signatureId: uuidv7(), letterId, documentHash: uuidv7().replaceAll('-', '').padEnd(64, '0'), signedAt: lateEvening.toISOString(), level: 'B-B',
    signer: { name: 'Dr. Ahmad Fauzi', position: 'Kepala Dinas Kesehatan' },
    authority: { signerUserId, positionId: 'position-dinkes-penandatangan', mode: 'self', documentType: 'surat_dinas' },
  });

  it('the admin kantor sets WITA; every desk of the office shows and prints WITA after sync, another office stays in WIB', async () => {
    const admin = await desk('admin.dinkes');
    setOfficeTimeZone(admin.d.store, 'office-dinkes', 'Asia/Makassar', 'user-admin-dinkes');
    expect(admin.d.store.settings.get().timeZone).toBe('Asia/Makassar');
    await admin.sync();
    expect(admin.d.store.sync.counts()).toMatchObject({ pending: 0, failed: 0, rejected: 0 });

    const operator = await desk('operator.dinkes');
    expect(operator.d.store.settings.get().timeZone).toBe('Asia/Jakarta');
    await operator.sync();
    expect(operator.d.store.settings.get().timeZone).toBe('Asia/Makassar');
    const { pdf } = await exportAgendaBook(operator.d.store, { from: '2026-12-01', to: '2026-12-31' }, 'user-operator-dinkes', lateEvening, new AbortController().signal);
    expect(pdfText(pdf)).toContain('Dicetak 5 Desember 2026 00.30 WITA');

    const other = await desk('operator.disdik');
    await other.sync();
    expect(other.d.store.settings.get().timeZone).toBe('Asia/Jakarta');
  });

  it('only the admin kantor changes the office’s zone; a desk whose change is refused goes back to the office’s zone', async () => {
    const refused = await push(await login('operator.dinkes'), 'office.time_zone', { timeZone: 'Asia/Jayapura' });
    expect(refused).toMatchObject({ outcome: 'FORBIDDEN', message: 'Hanya admin kantor yang dapat mengubah zona waktu kantor.' });

    // A desk made the change (its person was admin kantor when it did, say): shown there at once, refused by the server.
    const operator = await desk('operator.dinkes');
    await operator.sync();
    expect(operator.d.store.settings.get().timeZone).toBe('Asia/Makassar');
    setOfficeTimeZone(operator.d.store, 'office-dinkes', 'Asia/Jayapura', 'user-operator-dinkes');
    expect(operator.d.store.settings.get().timeZone).toBe('Asia/Jayapura');
    await operator.sync();
    expect(operator.d.store.settings.get().timeZone).toBe('Asia/Makassar');
    expect(operator.d.store.sync.queue().map((e) => [e.entity, e.state, e.problem?.code])).toEqual([['office', 'rejected', 'FORBIDDEN']]);
  });

  it('the server refuses a signature with the time in WITA, and the verification page shows the signing time in WITA', async () => {
    const kepala = await login('penandatangan.dinkes');
    const letterId = await outgoingLetter(kepala);
    // The Sekretaris is no signer of the Kepala's letters: refused, at the office's hour.
    const refusal = await push(await login('verifikator.dinkes'), 'signature.record', { ...signature(letterId, 'user-verifikator-dinkes'), signer: { name: 'Sri Handayani', position: 'Sekretaris' } });
    expect(refusal.outcome).toBe('SIGNING_NOT_AUTHORIZED');
    expect(refusal.message).toContain('pada 5 Desember 2026 00.30 WITA');
    expect(refusal.message).not.toContain('WIB');

    // Signed by a desk that did not say its zone: the page shows the office's.
    expect((await push(kepala, 'signature.record', signature(letterId, 'user-penandatangan-dinkes'))).outcome).toBe('applied');
    const page = await env.srv.call('GET', `/verifikasi?id=${letterId}`, { headers: { 'x-forwarded-for': '198.51.100.7' } });
    expect(page.status).toBe(200);
    const html = page.body.toString();
    expect(html).toContain('5 Desember 2026 00.30 WITA');
    expect(html).not.toContain('WIB');
  });

  it('a delegation that meets another is refused with that one’s period in WITA', async () => {
    const admin = await login('admin.dinkes');
    const approval = { approverName: 'Dr. Ahmad Fauzi', approverPosition: 'Kepala Dinas Kesehatan', approvedOn: '2026-12-01', reference: '800/41/Dinkes/2026' };
    // 16:30 UTC: half past midnight the next day in Makassar.
    const plh = (delegateUserId: string, from: string, to: string) => ({
      delegationId: uuidv7(), positionId: 'position-dinkes-penandatangan', delegateUserId, kind: 'plh', startsAt: `${from}T16:30:00.000Z`, endsAt: `${to}T16:30:00.000Z`, approval, reason: 'Cuti tahunan',
    });
    expect((await push(admin, 'delegation.create', plh('user-verifikator-dinkes', '2027-01-04', '2027-01-07'))).outcome).toBe('applied');
    const overlap = await push(admin, 'delegation.create', plh('user-kabid-kesmas-dinkes', '2027-01-05', '2027-01-09'));
    expect(overlap.outcome).toBe('DELEGATION_OVERLAP');
    expect(overlap.message).toContain('dari 5 Januari 2027 00.30 WITA sampai 8 Januari 2027 00.30 WITA.');
    expect(overlap.message).not.toContain('WIB');
  });
});
