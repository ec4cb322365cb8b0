// What each outbox entry becomes at the server, asked of the capability that owns its entity (one
// line each below); an entry this version cannot read, or of a kind the server has no mutation for,
// is shown to a person instead of being dropped. And the server's reasons, worded for a clerk.
import type { OutboxEntry, OutboxPlan } from '../store/outbox.ts';
import type { Store } from '../store/store.ts';
import { planAgendaBook, planLetter } from '../letters/incoming/outbox.ts';
import { planDelivery } from '../letters/delivery/outbox.ts';
import { planSignature } from '../sign/outbox.ts';
import { planDisposition } from '../letters/disposition/outbox.ts';
import { planDraft, planParafPolicy } from '../letters/drafting/outbox.ts';
import { planDelegation } from '../org/delegations.ts';
import { planStrategicTypes } from '../org/strategic-types.ts';
import { planOfficeRecord } from '../office/record.ts';

const kindNames: Record<string, string> = { letter: 'surat', delivery: 'pengiriman surat', signature: 'tanda tangan', disposition: 'disposisi', draft: 'konsep surat', paraf_policy: 'aturan paraf', agenda_book: 'buku agenda', delegation: 'delegasi', strategic_types: 'jenis naskah strategis', office: 'zona waktu kantor' };
/** What an outbox entry is about, as a clerk names it (the entity's code name is not shown). */
export function kindName(entity: string): string {
  return kindNames[entity] ?? 'jenis lain';
}

export function planEntry(entry: OutboxEntry, store: Store): OutboxPlan {
  if (!entry.readable) {
    return {
      kind: 'unsupported',
      message: entry.knownKind
        ? `Isi perubahan ini (${kindName(entry.entity)}) tidak dapat dibaca oleh versi Loket ini, sehingga tidak dikirim. Perubahan tetap tersimpan di meja ini; laporkan ke admin.`
        : `Perubahan ini (${kindName(entry.entity)}) belum dapat dikirim ke server oleh versi Loket ini. Perubahan tetap tersimpan di meja ini.`,
    };
  }
  switch (entry.entity) {
    case 'letter': return planLetter(entry, store);
    case 'agenda_book': return planAgendaBook(entry);
    case 'delivery': return planDelivery(entry, store);
    case 'signature': return planSignature(entry);
    case 'disposition': return planDisposition(entry);
    case 'draft': return planDraft(entry);
    case 'paraf_policy': return planParafPolicy(entry);
    case 'delegation': return planDelegation(entry);
    case 'strategic_types': return planStrategicTypes(entry);
    case 'office': return planOfficeRecord(entry);
  }
}

const fieldNames: Record<string, string> = {
  letterNumber: 'nomor surat', letterDate: 'tanggal surat', sender: 'pengirim', addressee: 'tujuan', subject: 'perihal',
  summary: 'ringkasan', receivedAt: 'tanggal terima', agendaNumber: 'nomor agenda', year: 'tahun agenda', classification: 'kode klasifikasi',
  urgency: 'sifat (urgensi)', security: 'sifat (keamanan)', attachments: 'berkas pindaian',
};

/** The server names invalid fields by their protocol path (payload.letterNumber); a clerk reads "nomor surat". */
export function readableReason(reason: string): string {
  return reason.replace(/\(([^)]*payload\.[^)]*)\)$/, (_, paths: string) =>
    `(${paths.split(', ').map((p) => fieldNames[p.split('.').at(-1) ?? ''] ?? p).join(', ')})`);
}
