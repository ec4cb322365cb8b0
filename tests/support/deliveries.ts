// Letters delivered between offices, for tests: a test desk's Kiriman handlers (the requests it
// sends to the server recorded), a real PDF letter, and registration of it the way Catat does.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { createEventBus } from '../../main/app/events.ts';
import { createLogger } from '../../common/logger.ts';
import type { IncomingLetterFields } from '../../common/ipc/incoming.ts';
import { deliveryHandlers } from '../../main/letters/delivery/deliveries.ts';
import { registerIncomingLetter } from '../../main/letters/incoming/registration.ts';
import type { ServerClient } from '../../main/remote/client.ts';
import type { TestDesk } from './sync-desk.ts';

/** The desk's Kiriman handlers; `requests` lists every request they sent (path and Range header). */
export function deskDeliveries(d: TestDesk, options: { chunkBytes?: number } = {}) {
  const log = createLogger({ level: 'error' });
  const requests: { path: string; range: string | undefined }[] = [];
  const client = (): ServerClient | undefined => {
    const c = d.sync.client();
    if (!c) return undefined;
    return { ...c, raw: (method, path, o) => { requests.push({ path, range: o?.headers?.['range'] }); return c.raw(method, path, o); } };
  };
  const handlers = deliveryHandlers({
    store: d.store, blobs: d.blobs, partialDir: join(d.dir, 'downloads'), ...options,
    server: { url: () => d.sync.serverUrl(), client, online: () => true, accessToken: () => d.sync.auth.accessToken(), user: () => d.sync.session.user() },
    bus: createEventBus(log), actor: () => d.sync.session.user()!.id, log, syncSoon: () => undefined,
  });
  return { ...handlers, requests };
}

/** A real PDF letter: its title on page 1, a few lines of body, and `padding` incompressible bytes attached. */
export async function letterPdf(title: string, body: readonly string[] = [], padding = 0): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText(title, { x: 60, y: 760, size: 14, font });
  body.forEach((line, i) => page.drawText(line, { x: 60, y: 720 - i * 18, size: 11, font }));
  if (padding > 0) await doc.attach(randomBytes(padding), 'lampiran.bin', { mimeType: 'application/octet-stream' });
  return Buffer.from(await doc.save());
}

export const letterFields = (over: Partial<IncomingLetterFields> = {}): IncomingLetterFields => ({
  receivedDate: '2026-03-02', letterNumber: '440/118/DINKES/2026', letterDate: '2026-02-27', sender: 'Puskesmas Kecamatan Utara',
  addressee: 'Kepala Dinas Kesehatan', subject: 'Pelaksanaan vaksinasi anak sekolah', summary: 'Mohon dukungan sekolah untuk jadwal vaksinasi.',
  urgency: 'segera', security: 'biasa', classificationCode: '440', documentType: 'surat_biasa', attachmentCount: 1, ...over,
});

/** Registers a letter with its PDF as Catat does: the document recorded, then the normal registration (numbers from the desk's blocks). */
export async function registerWithPdf(d: TestDesk, pdf: Buffer, over: Partial<IncomingLetterFields> = {}) {
  const { hash } = await d.blobs.put(pdf);
  d.store.agenda.recordImport({ hash, mediaType: 'application/pdf', byteSize: pdf.length, pageCount: 1, originalName: 'surat.pdf' }, { hash, byteSize: pdf.length });
  return registerIncomingLetter(d.store, { documentId: hash, fields: letterFields(over) }, d.sync.session.user()!.id, '2026-11-23', true).letter;
}
