// Letters delivered between offices through the system. Sending: a registered
// letter is sent to other offices of the region, chosen from GET /org (kept on the desk, so the list
// shows offline too); the request goes to the outbox and the sync engine sends it after the letter.
// Receiving: the change feed's `delivery` rows are offered in Surat Masuk until this office registers
// them; opening one downloads its PDF (resumable, hash-checked) into the desk's document store, and
// registering it takes this office's own agenda number by the normal registration path.
import { join } from 'node:path';
import { z } from 'zod';
import type { SessionUser } from '../../auth/session.ts';
import { localDate } from '../../../common/dates.ts';
import type { EventBus } from '../../app/events.ts';
import type { Logger } from '../../../common/logger.ts';
import { createBlobStore, type BlobStore } from '../../documents/blob-store.ts';
import { importDocument } from '../../documents/import.ts';

import type { delivery, ReceivedDelivery } from '../../../common/ipc/delivery.ts';
import type { Handlers } from '../../ipc/router.ts';
import { AppError } from '../../../common/errors.ts';
import type { Store } from '../../store/store.ts';
import type { Letter } from '../../store/letters.ts';
import type { ReceivedDeliveryRow } from '../../store/deliveries.ts';
import { downloadBlob } from '../../remote/blob-download.ts';
import type { ServerClient } from '../../remote/client.ts';
import { OrgReply } from '../../../common/protocol/org.ts';
import type { DeliveryData } from '../../../common/protocol/delivery.ts';
import { forRenderer } from '../incoming/handlers.ts';
import { markSentWhenGoneOut } from '../outgoing/outgoing.ts';
import { registerIncomingLetter } from '../incoming/registration.ts';
import type { Capability, Desk } from '../../app/desk.ts';
import { externalHandlers } from './external.ts';

/** The roles the server lets deliver letters (server/delivery/mutations.ts deliverRoles); a Plh/Plt also may during the period. */
const deliverRoles: readonly string[] = ['admin_kantor', 'operator_utama', 'signer'];
/** Outgoing letters go out once signed; incoming ones once they have their agenda number. */
const sendableOutgoing: readonly string[] = ['signed', 'sent'];
const officesKey = 'org.offices';

export interface DeliveryServer {
  /** The server in use; '' for a standalone desk. */
  url(): string;
  /** Its client; undefined when none is configured; throws ServerError when configured but unusable. */
  client(): ServerClient | undefined;
  /** Whether the desk's connectivity monitor last found the server reachable (no waiting on a dead network). */
  online(): boolean;
  accessToken(): Promise<string>;
  user(): SessionUser | null;
}

export interface DeliveryHandlerDeps {
  store: Store;
  blobs: BlobStore;
  /** Where partial downloads wait between attempts. */
  partialDir: string;
  server: DeliveryServer;
  bus: EventBus;
  actor(): string;
  log: Logger;
  /** Asks for a sync round now (a letter sent, a letter registered). */
  syncSoon(): void;
  now?: () => Date;
  /** Range size of downloads (tests cut a download between ranges). */
  chunkBytes?: number;
}

/** The region's offices as this desk keeps them from GET /org, for sending while offline. */
const CachedOffices = z.object({ offices: z.array(OrgReply.shape.offices.element.pick({ id: true, code: true, name: true })), fetchedAt: z.string() });
type CachedOffices = z.infer<typeof CachedOffices>;

export function deliveryHandlers(deps: DeliveryHandlerDeps): Pick<Handlers, Exclude<keyof typeof delivery.channels, `external.${string}`>> {
  const { store, blobs, server, log } = deps;
  const now = deps.now ?? (() => new Date());
  /** Downloads under way by blob: a second click joins the first instead of appending to the same partial file. */
  const downloading = new Map<string, Promise<Buffer>>();

  function cachedOffices(): CachedOffices | undefined {
    const kept = CachedOffices.safeParse(store.sync.getMeta<unknown>(officesKey));
    return kept.success ? kept.data : undefined;
  }

  function client(): ServerClient | undefined {
    try { return server.client(); } catch { return undefined; }
  }

  /** The region's offices from the server, kept for offline use; the kept list when the server cannot be asked. */
  async function offices(): Promise<CachedOffices | undefined> {
    const c = client();
    if (c && server.user() && server.online()) {
      try {
        const org = await c.json('GET', '/org', OrgReply, { token: await server.accessToken(), timeoutMs: 5_000 });
        const fresh = { offices: org.offices.map(({ id, code, name }) => ({ id, code, name })), fetchedAt: now().toISOString() };
        store.sync.setMeta(officesKey, fresh);
        return fresh;
      } catch (err) {
        log.info('deliveries: office list not refreshed, using the one kept on this desk', { code: (err as { code?: unknown }).code });
      }
    }
    return cachedOffices();
  }

  function officeName(id: string): string {
    return cachedOffices()?.offices.find((o) => o.id === id)?.name ?? id;
  }

  function refusal(): AppError | null {
    if (server.url() === '') return new AppError('AUTH_NO_SERVER');
    const user = server.user();
    if (!user) return new AppError('AUTH_REQUIRED');
    // A Plh/Plt holds a position of someone else (or a vacant one) and sends what they sign, as its official would.
    const delegate = store.org.heldPositions(user.id, now().toISOString()).some((p) => p.holderId !== user.id);
    if (!delegate && !user.roles.some((r) => deliverRoles.includes(r))) return new AppError('DELIVERY_ROLE_REQUIRED');
    return null;
  }

  function sent(letterId: string) {
    return store.deliveries.sent(letterId).map((s) => ({
      officeId: s.officeId,
      officeName: officeName(s.officeId),
      state: s.state === 'rejected' ? 'rejected' as const
        : s.state === 'done' ? (s.problem?.code === 'DISCARDED' ? 'discarded' as const : 'sent' as const)
          : 'waiting' as const,
      problem: s.problem?.message ?? null,
      requestedAt: s.requestedAt,
    }));
  }

  function sendable(letter: Letter): boolean {
    return letter.agendaNumber !== null && (letter.direction === 'incoming' || sendableOutgoing.includes(letter.status));
  }

  /** The feed's row (read through its schema by the store) as Surat Masuk lists it. */
  function viewOf(row: ReceivedDeliveryRow): { view: ReceivedDelivery; data: DeliveryData } {
    const d = row.data;
    return {
      data: d,
      view: {
        letterId: row.letterId, fromOfficeId: d.fromOfficeId, fromOfficeName: officeName(d.fromOfficeId), deliveredAt: d.deliveredAt,
        letterNumber: d.letter.letterNumber, letterDate: d.letter.letterDate, subject: d.letter.subject, summary: d.letter.summary,
        urgency: d.letter.urgency, security: d.letter.security, classification: d.letter.classification,
        senderAgenda: `${d.letter.agendaNumber}/${d.letter.year}`, hasDocument: d.letter.attachments.length > 0, registeredAs: row.registeredAs,
      },
    };
  }

  function receivedOrNotFound(letterId: string) {
    const row = store.deliveries.received(letterId);
    const parsed = row ? viewOf(row) : undefined;
    if (!parsed) throw new AppError('NOT_FOUND', 'Surat kiriman ini tidak ada di meja ini. Sinkronkan meja lalu buka daftar Kiriman dari kantor lain lagi.', { letterId });
    return parsed;
  }

  /** Office names for the list: fetched once more when a sending office is not in the kept list. */
  async function ensureOfficeNames(views: readonly { fromOfficeId: string }[]): Promise<void> {
    const known = new Set(cachedOffices()?.offices.map((o) => o.id));
    if (views.some((v) => !known.has(v.fromOfficeId))) await offices();
  }

  return {
    'deliveries.offices': async () => {
      const list = await offices();
      const own = server.user()?.officeId ?? null;
      const why = refusal();
      return { offices: (list?.offices ?? []).filter((o) => o.id !== own), fetchedAt: list?.fetchedAt ?? null, refusal: why?.toIpc() ?? null };
    },

    'deliveries.send': ({ letterId, toOfficeIds }) => {
      const why = refusal();
      if (why) throw why;
      const letter = store.letters.get(letterId);
      if (!letter) throw new AppError('NOT_FOUND', 'Surat ini tidak ditemukan di meja ini. Muat ulang daftar surat lalu coba lagi.', { letterId });
      if (!sendable(letter)) throw new AppError('DELIVERY_NOT_SENDABLE', undefined, { letterId, status: letter.status });
      const own = server.user()?.officeId;
      const known = new Set(cachedOffices()?.offices.map((o) => o.id));
      const targets = [...new Set(toOfficeIds)];
      const unknown = targets.filter((id) => id === own || !known.has(id));
      if (unknown.length > 0) {
        const message = 'Kantor tujuan tidak ada di daftar kantor lain di wilayah ini. Muat ulang daftar kantor lalu pilih lagi.';
        throw new AppError('VALIDATION', message, { issues: [{ path: ['toOfficeIds'], message }], unknown });
      }
      store.transaction(() => {
        store.deliveries.requestSend(letterId, targets, deps.actor());
        markSentWhenGoneOut(store, letterId, deps.actor());
      });
      deps.bus.emit('dashboard.changed', {});
      deps.syncSoon();
      return sent(letterId);
    },

    'deliveries.sent': ({ letterId }) => sent(letterId),

    'deliveries.received': async () => {
      const rows = store.deliveries.waiting();
      await ensureOfficeNames(rows.map((r) => r.data));
      return rows.map((r) => viewOf(r).view);
    },

    'deliveries.open': async ({ letterId }) => {
      const { data } = receivedOrNotFound(letterId);
      await ensureOfficeNames([data]);
      const { view } = receivedOrNotFound(letterId);
      const sha256 = data.letter.attachments[0];
      if (sha256 === undefined) throw new AppError('NOT_FOUND', 'Surat kiriman ini dikirim tanpa berkas surat, sehingga tidak ada yang dapat ditampilkan. Minta kantor pengirim melampirkan berkasnya.', { letterId });
      let bytes: Buffer;
      if (await blobs.has(sha256)) bytes = await blobs.read(sha256);
      else {
        const c = client();
        if (!c) throw new AppError('DOWNLOAD_OFFLINE');
        let download = downloading.get(sha256);
        if (!download) {
          download = downloadBlob({ client: c, token: () => server.accessToken(), sha256, blobs, partialDir: deps.partialDir, ...(deps.chunkBytes ? { chunkBytes: deps.chunkBytes } : {}) })
            .finally(() => downloading.delete(sha256));
          downloading.set(sha256, download);
        }
        bytes = await download;
      }
      const name = `Kiriman ${view.fromOfficeName} ${view.letterNumber}.pdf`;
      const imported = await importDocument(blobs, bytes, name, { log });
      store.agenda.recordImport({ hash: imported.hash, mediaType: imported.mediaType, byteSize: imported.byteSize, pageCount: imported.pageCount, originalName: imported.displayName }, imported.pdf);
      const earlier = store.agenda.letterWithDocument(imported.pdf.hash);
      return {
        delivery: view,
        document: { documentId: imported.hash, displayName: imported.displayName, pageCount: imported.pageCount, registeredAs: earlier ? { letterId: earlier.id, agendaLabel: earlier.agendaLabel } : null },
      };
    },

    'deliveries.register': ({ letterId, documentId, fields }) => {
      const { view, data } = receivedOrNotFound(letterId);
      const elsewhere = data.registration;
      if (elsewhere && view.registeredAs === null) {
        throw new AppError('LETTER_ALREADY_REGISTERED', `Surat kiriman ini sudah dicatat di agenda kantor ini oleh meja lain (nomor agenda ${elsewhere.agendaNumber}/${elsewhere.year}). Surat yang sama tidak dicatat dua kali.`, { letterId: elsewhere.letterId, agendaLabel: null });
      }
      const { letter, warnings } = store.transaction(() => {
        // Checked inside the transaction: two clicks on Simpan must not register one delivery twice.
        const registeredAs = store.deliveries.received(letterId)?.registeredAs;
        if (registeredAs) {
          const earlier = store.letters.get(registeredAs);
          throw new AppError('LETTER_ALREADY_REGISTERED', `Surat kiriman ini sudah dicatat di agenda kantor ini sebagai ${earlier?.agendaLabel ?? '(tanpa nomor)'}. Surat yang sama tidak dicatat dua kali.`, { letterId: registeredAs, agendaLabel: earlier?.agendaLabel ?? null });
        }
        const registered = registerIncomingLetter(store, { documentId, fields }, deps.actor(), localDate(now(), store.settings.get().timeZone), server.url() !== '');
        store.deliveries.markRegistered(letterId, registered.letter.id);
        return registered;
      });
      log.info('deliveries: delivered letter registered', { deliveredLetterId: letterId, agenda: letter.agendaLabel });
      deps.bus.emit('dashboard.changed', {});
      deps.syncSoon();
      return { letter: forRenderer(letter), warnings };
    },
  };
}

/** Letters between offices (sent and received) and addressees outside the system. */
export function deliveryCapability(desk: Desk): Capability {
  const { sync } = desk;
  return {
    handlers: {
      ...deliveryHandlers({
        store: desk.store, blobs: createBlobStore(desk.documentsDir, { log: desk.log }), partialDir: join(desk.dataDir, 'downloads'),
        server: { url: () => sync.serverUrl(), client: sync.client, online: desk.online, accessToken: () => sync.auth.accessToken(), user: () => sync.session.user() },
        bus: desk.bus, actor: desk.actor, log: desk.log.child({ part: 'deliveries' }), syncSoon: desk.syncSoon,
      }),
      ...externalHandlers({ store: desk.store, bus: desk.bus, actor: desk.actor, syncSoon: desk.syncSoon }),
    },
  };
}
