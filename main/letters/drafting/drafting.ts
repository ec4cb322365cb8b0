// Konsep at the desk: a drafter starts an outgoing letter from a template, fills its fields and body
// (saved as they type, offline too: each save goes to the outbox with the draft), attaches PDFs as
// lampiran, watches the preview — the very PDF the signer will get — and submits it to its signer.
// Submitted, it enters Tanda Tangan the way every outgoing letter does (importOutgoingForSigning).
import type { drafting, DraftContent, DraftView, Template } from '../../../common/ipc/drafting.ts';
import { AppError } from '../../../common/errors.ts';
import type { Capability, Desk } from '../../app/desk.ts';
import { createBlobStore, type BlobStore } from '../../documents/blob-store.ts';
import { importDocument } from '../../documents/import.ts';
import type { Transfers } from '../../documents/transfers.ts';
import type { Handlers } from '../../ipc/router.ts';
import type { Draft } from '../../store/drafts.ts';
import type { Store } from '../../store/store.ts';
import { importOutgoingForSigning } from '../outgoing/import.ts';
import { countInWords } from './indonesian.ts';
import { newDraft, renderLetter } from './render.ts';
import { shippedLetterhead, shippedTemplates } from './templates.ts';

export interface DraftingDeps {
  store: Store;
  blobs: BlobStore;
  transfers: Pick<Transfers, 'take' | 'offer'>;
  actor(): string;
  /** Work went into the outbox. */
  changed(): void;
  resourcesDir?: string;
}

function invalid(path: string, message: string): AppError {
  return new AppError('VALIDATION', message, { issues: [{ path: [path], message }] });
}

/** What a letter must have before its signer sees it; the first thing missing is named. */
function checkComplete(template: Template, c: DraftContent): void {
  if (c.hal.trim() === '') throw invalid('hal', 'Hal (perihal) surat belum diisi. Isi hal surat lalu ajukan lagi.');
  const needsAddressee = template.layout !== 'berjudul' || template.addressee === true;
  if (needsAddressee && !c.addressees.some((a) => a.trim() !== '')) throw invalid('addressees', 'Tujuan surat (Yth.) belum diisi. Isi paling sedikit satu tujuan lalu ajukan lagi.');
  if (c.signer.position.trim() === '' || c.signer.name.trim() === '') throw invalid('signer', 'Jabatan dan nama penanda tangan di blok tanda tangan belum diisi. Lengkapi lalu ajukan lagi.');
  if (template.signerNip && c.signer.nip.trim() === '') throw invalid('signer.nip', `NIP penanda tangan wajib dicantumkan pada ${template.name}. Isi NIP lalu ajukan lagi.`);
  const placeholder = JSON.stringify(c.body).match(/\$\{(?!nomor\b|tanggal\b|ttd_pengirim\b)(\w+)\}/);
  if (placeholder) throw invalid('body', `Isi surat masih memuat isian templat "\${${placeholder[1]}}". Ganti dengan isi yang sebenarnya lalu ajukan lagi.`);
}

export function draftingHandlers(deps: DraftingDeps): Pick<Handlers, keyof typeof drafting.channels> {
  const { store, blobs, transfers } = deps;
  const letterhead = shippedLetterhead(deps.resourcesDir);
  const templates = shippedTemplates(deps.resourcesDir);
  const templateOf = (type: string): Template => {
    const t = templates.find((x) => x.type === type);
    if (t === undefined) throw new AppError('VALIDATION', 'Templat jenis naskah ini tidak ada di meja ini. Pilih jenis naskah lain.', { type });
    return t;
  };

  /** The person's own draft; another person's is not found (drafts are not shared before the paraf chain). */
  const own = (id: string): Draft => {
    const draft = store.drafts.get(id);
    if (draft === undefined || draft.author !== deps.actor()) throw new AppError('NOT_FOUND', 'Konsep surat ini tidak ditemukan di meja ini. Muat ulang daftar konsep lalu coba lagi.', { id });
    return draft;
  };

  const view = (d: Draft): DraftView => ({
    id: d.id, content: d.content, status: d.status, letterId: d.letterId, version: d.version, updatedAt: d.updatedAt,
    attachments: d.attachments.map((hash) => {
      const doc = store.documents.get(hash);
      return { hash, name: doc?.originalName ?? 'lampiran.pdf', pageCount: doc?.pageCount ?? 0 };
    }),
  });

  /** The letter's PDF from the draft as saved: the preview and the submitted letter are this. */
  const render = async (d: Draft): Promise<Uint8Array> => {
    const attachments = await Promise.all(d.attachments.map((hash) => blobs.read(hash)));
    const content = d.content.lampiran.trim() === '' && attachments.length > 0 ? { ...d.content, lampiran: countInWords(attachments.length, 'berkas') } : d.content;
    return renderLetter({ template: templateOf(d.type), letterhead, draft: content, attachments });
  };

  const saved = (d: Draft) => { deps.changed(); return view(d); };

  return {
    'drafting.templates': () => ({ letterhead, templates }),
    'drafting.list': () => store.drafts.ofAuthor(deps.actor()).map(view),
    'drafting.create': ({ type }) => {
      return saved(store.drafts.create(newDraft(templateOf(type)), deps.actor()));
    },
    'drafting.get': ({ id }) => view(own(id)),
    'drafting.save': ({ id, version, content }) => {
      const draft = own(id);
      // A save from a screen that had an older version (another window) would undo newer text.
      if (version !== draft.version) {
        throw new AppError('DRAFT_CHANGED', undefined, { id, version: draft.version });
      }
      return saved(store.drafts.save(id, { content }, deps.actor()));
    },
    'drafting.attach': async ({ id, uploadId, fileName }) => {
      const draft = own(id);
      const bytes = new Uint8Array(await transfers.take(uploadId));
      const imported = await importDocument(blobs, bytes, fileName);
      if (imported.mediaType !== 'application/pdf') {
        throw new AppError('IMPORT_UNSUPPORTED', 'Lampiran konsep harus berupa PDF. Simpan lampirannya sebagai PDF lalu lampirkan lagi.', { name: imported.displayName });
      }
      if (draft.attachments.includes(imported.hash)) throw new AppError('VALIDATION', `${imported.displayName} sudah dilampirkan pada konsep ini.`, { name: imported.displayName });
      return saved(store.transaction(() => {
        store.documents.upsert({ hash: imported.hash, mediaType: 'application/pdf', byteSize: imported.byteSize, pageCount: imported.pageCount, originalName: imported.displayName });
        return store.drafts.save(id, { attachments: [...draft.attachments, imported.hash] }, deps.actor());
      }));
    },
    'drafting.detach': ({ id, hash }) => {
      const draft = own(id);
      return saved(store.drafts.save(id, { attachments: draft.attachments.filter((h) => h !== hash) }, deps.actor()));
    },
    'drafting.preview': async ({ id }) => transfers.offer({ bytes: await render(own(id)) }, 'konsep.pdf', 'application/pdf'),
    'drafting.submit': async ({ id, signer, classificationCode }) => {
      const draft = own(id);
      if (draft.status !== 'draft') throw new AppError('VALIDATION', 'Konsep ini sudah diajukan untuk ditandatangani.', { id, letterId: draft.letterId });
      const template = templateOf(draft.type);
      checkComplete(template, draft.content);
      const bytes = await render(draft);
      let submitted: Draft | undefined;
      await importOutgoingForSigning(store, blobs, {
        bytes, fileName: `${template.name} - ${draft.content.hal}.pdf`, subject: draft.content.hal,
        addressee: draft.content.addressees.filter((a) => a.trim() !== '').join('; '), signer, classificationCode,
      }, deps.actor(), (letter) => { submitted = store.drafts.submitted(id, letter.id, deps.actor()); });
      return saved(submitted!);
    },
  };
}

export function draftingCapability(desk: Desk): Capability {
  return {
    handlers: draftingHandlers({
      store: desk.store, blobs: createBlobStore(desk.documentsDir, { log: desk.log.child({ part: 'drafting' }) }), transfers: desk.transfers,
      actor: desk.actor, changed: () => { desk.bus.emit('dashboard.changed', {}); desk.syncSoon(); },
    }),
  };
}
