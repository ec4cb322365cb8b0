// Addressees outside the system (a company, a ministry, a citizen): a sent letter goes to them by
// email or on paper. The clerk adds them to a numbered letter, the office sees what must still go out
// and marks each one sent; both go through the outbox (main/store/external-deliveries.ts) to the
// server, which shows the same to-do to every desk of the office. Bad input is refused in Bahasa
// Indonesia before anything is written.
import { z } from 'zod';
import type { EventBus } from '../../app/events.ts';
import type { delivery } from '../../../common/ipc/delivery.ts';
import type { ExternalAddresseeInput } from '../../../common/ipc/delivery.ts';
import { AppError } from '../../../common/errors.ts';
import type { Handlers } from '../../ipc/router.ts';
import type { ExternalAddresseeRow } from '../../store/external-deliveries.ts';
import type { Letter } from '../../store/letters.ts';
import { uuidv7 } from '../../../common/ids.ts';
import type { Store } from '../../store/store.ts';
import { markSentWhenGoneOut } from '../outgoing/outgoing.ts';

export interface ExternalHandlerDeps {
  store: Store;
  bus: EventBus;
  actor(): string;
  /** Asks for a sync round now. */
  syncSoon(): void;
}

const emailFormat = z.email();

function invalid(index: number, field: 'name' | 'email', message: string): AppError {
  return new AppError('VALIDATION', message, { issues: [{ path: ['addressees', index, field], message }] });
}

/** The addressees as the server will take them, or the first problem named for the clerk. */
export function checkAddressees(list: readonly ExternalAddresseeInput[]): { name: string; channel: 'email' | 'print'; email?: string }[] {
  return list.map((a, i) => {
    const name = a.name.trim();
    if (name === '') throw invalid(i, 'name', 'Nama penerima di luar sistem wajib diisi (misalnya nama perusahaan, instansi atau orangnya).');
    if (name.length > 200) throw invalid(i, 'name', 'Nama penerima terlalu panjang (paling banyak 200 karakter).');
    if (a.channel === 'print') return { name, channel: 'print' };
    const email = (a.email ?? '').trim();
    if (email === '') throw invalid(i, 'email', `Alamat email untuk ${name} wajib diisi bila surat dikirim lewat email.`);
    if (email.length > 254 || !emailFormat.safeParse(email).success) throw invalid(i, 'email', `Alamat email "${email}" tidak sah. Periksa lagi, contoh: sekretariat@perusahaan.co.id`);
    return { name, channel: 'email', email };
  });
}

export function externalHandlers(deps: ExternalHandlerDeps): Pick<Handlers, Extract<keyof typeof delivery.channels, `external.${string}`>> {
  const { store, bus } = deps;
  /** The letter as this desk has it, or as the office's change feed carried it (a letter another desk of the office registered). */
  const letterOf = (letterId: string): { subject: string; letterNumber: string | null } => {
    const local = store.letters.get(letterId);
    if (local) return { subject: local.subject, letterNumber: local.letterNumber ?? local.agendaLabel };
    const remote = store.sync.remote('letter', letterId);
    return { subject: remote?.subject ?? '', letterNumber: remote?.letterNumber ?? null };
  };
  const withLetter = (rows: ExternalAddresseeRow[]) => rows.map((r) => {
    const letter = letterOf(r.letterId);
    return { ...r, letterSubject: letter.subject, letterNumber: letter.letterNumber };
  });

  /** Only a letter with its number goes out: the addressee gets the numbered, signed letter. */
  function numberedLetter(letterId: string): Letter {
    const letter = store.letters.get(letterId);
    if (!letter) throw new AppError('NOT_FOUND', 'Surat ini tidak ditemukan di meja ini. Muat ulang daftar surat lalu coba lagi.', { letterId });
    if (letter.agendaNumber === null || (letter.direction === 'outgoing' && letter.status !== 'signed' && letter.status !== 'sent')) {
      throw new AppError('VALIDATION', 'Surat ini belum dapat dikirim: surat keluar harus ditandatangani (dan bernomor) lebih dulu.', { letterId });
    }
    return letter;
  }
  const changed = () => {
    bus.emit('dashboard.changed', {});
    deps.syncSoon();
  };

  return {
    'external.list': ({ letterId }) => withLetter(store.externalDeliveries.ofLetter(letterId)),
    'external.pending': () => withLetter(store.externalDeliveries.pending()),
    'external.add': ({ letterId, addressees }) => {
      numberedLetter(letterId);
      const checked = checkAddressees(addressees);
      store.externalDeliveries.request(letterId, checked.map((a) => ({ id: uuidv7(), ...a })), deps.actor());
      changed();
      return withLetter(store.externalDeliveries.ofLetter(letterId));
    },
    'external.markSent': ({ letterId, externalId }) => {
      const row = store.externalDeliveries.ofLetter(letterId).find((r) => r.id === externalId);
      if (!row) throw new AppError('NOT_FOUND', 'Penerima ini tidak tercatat untuk surat ini di meja ini. Muat ulang lalu coba lagi.', { letterId, externalId });
      if (row.sentAt === null) {
        store.transaction(() => {
          store.externalDeliveries.markSent(letterId, externalId, deps.actor());
          markSentWhenGoneOut(store, letterId, deps.actor());
        });
        changed();
      }
      return withLetter(store.externalDeliveries.ofLetter(letterId));
    },
  };
}
