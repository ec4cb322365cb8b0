// Konsep at the desk: a drafter starts an outgoing letter from a template, fills its fields and body
// (saved as they type, offline too: each save goes to the outbox with the draft), attaches PDFs as
// lampiran, watches the preview — the very PDF the signer will get — and submits it to its signer.
// Submitted, it enters Tanda Tangan the way every outgoing letter does (importOutgoingForSigning).
import { PDFDocument, StandardFonts } from 'pdf-lib';
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
import { officialsServer } from '../outgoing/outgoing.ts';
import { signingOfficials } from '../outgoing/officials.ts';
import { countInWords } from './indonesian.ts';
import { layout, newDraft, renderLetter, renderLetterPlaced, type LetterValues, type RenderInput, type SignaturePlace } from './render.ts';
import { naskahSource, type Naskah, type NaskahSource } from './templates.ts';

export interface DraftingDeps {
  store: Store;
  blobs: BlobStore;
  transfers: Pick<Transfers, 'take' | 'offer'>;
  actor(): string;
  /** Work went into the outbox. */
  changed(): void;
  resourcesDir?: string;
  /** How drafts are rendered (the desk's kept kop and templates); default: the shipped ones from resourcesDir. */
  renderer?: DraftRenderer;
  /** On a desk with a server: submitting sends the draft to its paraf chain. */
  chain?: {
    available(): boolean;
    /** The signer's user id, checked against the office's officials kept on this desk. */
    resolveSigner(signer: string): Promise<string>;
    /** The positions the person holds now, and every position of the office, from the structure kept on this desk. */
    held(userId: string): Set<string>;
    positions(): Set<string>;
  };
  now?: () => Date;
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

/**
 * Renders a draft's letter the one way the preview, the submitted letter and a verifier's or signer's
 * copy share: with the kop and templates the draft was started with (DraftContent.naskahVersion).
 */
export interface DraftRenderer {
  /** The kop and templates a new draft starts with now. */
  current(): Naskah;
  /** The template of `type` in the version a draft names. */
  templateOf(type: string, naskahVersion?: string): Template;
  /**
   * A lampiran not on this desk yet fails the render (NOT_FOUND), or with `whileMissing: 'notice'` (a
   * preview) takes one page saying it is not downloaded yet.
   */
  render(d: Pick<Draft, 'type' | 'content' | 'attachments'>, options?: { whileMissing?: 'fail' | 'notice' }): Promise<Uint8Array>;
  /** The letter as it is signed: the same rendering with its number and date, and where its stamp goes. */
  renderSigned(d: Pick<Draft, 'type' | 'content' | 'attachments'>, values: LetterValues): Promise<{ bytes: Uint8Array; signatureAt: SignaturePlace }>;
}

/** The page a preview shows in place of a lampiran this desk does not have yet. */
async function notDownloadedPage(n: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([layout.page.width, layout.page.height]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const x = layout.margin.left;
  let y = layout.page.height - layout.margin.top - 20;
  page.drawText(`Lampiran ke-${n} belum terunduh`, { x, y, size: 14, font: bold });
  for (const line of [
    'Berkas lampiran ini belum ada di meja ini. Berkas diunduh otomatis dari server kantor',
    'saat meja tersinkron; pratinjau ini diperbarui sesudahnya. Surat untuk ditandatangani',
    'baru dibuat setelah semua lampirannya terunduh.',
  ]) {
    y -= 22;
    page.drawText(line, { x, y, size: 11, font });
  }
  return pdf.save();
}

export function draftRenderer(blobs: BlobStore, source: NaskahSource = naskahSource()): DraftRenderer {
  const templateIn = (naskah: Naskah, type: string): Template => {
    const t = naskah.templates.find((x) => x.type === type);
    if (t === undefined) throw new AppError('VALIDATION', 'Templat jenis naskah ini tidak ada di meja ini. Pilih jenis naskah lain.', { type });
    return t;
  };
  async function input(d: Pick<Draft, 'type' | 'content' | 'attachments'>, whileMissing: 'fail' | 'notice'): Promise<RenderInput> {
    const naskah = source.of(d.content.naskahVersion);
    const attachments = await Promise.all(d.attachments.map(async (hash, i) => {
      if (await blobs.has(hash)) return blobs.read(hash);
      if (whileMissing === 'notice') return notDownloadedPage(i + 1);
      throw new AppError('NOT_FOUND', 'Lampiran konsep ini belum terunduh ke meja ini, jadi suratnya belum dapat dibuat. Lampiran diunduh otomatis saat meja tersinkron dengan server kantor; coba lagi sesudahnya.', { hash });
    }));
    const content = d.content.lampiran.trim() === '' && attachments.length > 0 ? { ...d.content, lampiran: countInWords(attachments.length, 'berkas') } : d.content;
    return { template: templateIn(naskah, d.type), letterhead: naskah.letterhead, draft: content, attachments };
  }
  return {
    current: () => source.current(),
    templateOf: (type, naskahVersion) => templateIn(source.of(naskahVersion), type),
    render: async (d, options = {}) => renderLetter(await input(d, options.whileMissing ?? 'fail')),
    renderSigned: async (d, values) => renderLetterPlaced({ ...(await input(d, 'fail')), values }),
  };
}

export function draftingHandlers(deps: DraftingDeps): Pick<Handlers, keyof typeof drafting.channels> {
  const { store, blobs, transfers } = deps;
  const renderer = deps.renderer ?? draftRenderer(blobs, naskahSource({ resourcesDir: deps.resourcesDir }));

  /** A returned draft takes the version its chain last had (a verifier may have edited it). */
  const current = (d: Draft): Draft => {
    const chain = store.paraf.get(d.id);
    const last = chain?.versions.at(-1);
    return chain?.state === 'returned' && last !== undefined && last.version > d.version ? store.drafts.adopt(d.id, last.version, last.content, last.attachments) : d;
  };

  /** The person's own draft; another person's is not found (verifiers read it through paraf). */
  const own = (id: string): Draft => {
    const draft = store.drafts.get(id);
    if (draft === undefined || draft.author !== deps.actor()) throw new AppError('NOT_FOUND', 'Konsep surat ini tidak ditemukan di meja ini. Muat ulang daftar konsep lalu coba lagi.', { id });
    return current(draft);
  };

  const chainOf = (id: string): DraftView['chain'] => {
    const chain = store.paraf.get(id);
    if (chain === undefined) return null;
    const lastReturn = chain.trail.filter((t) => t.action === 'return').at(-1);
    return {
      state: chain.pending && chain.trail.length === 0 ? 'sending' : chain.state,
      returnNote: chain.state === 'returned' ? (lastReturn?.note ?? null) : null,
      refused: chain.refused,
    };
  };

  /** A draft with verifiers (or its signer) is not changed by its author until they return it. */
  const editable = (d: Draft): Draft => {
    const chain = chainOf(d.id);
    if (chain && chain.refused === null && chain.state !== 'returned') {
      throw new AppError('VALIDATION', 'Konsep ini sedang diperiksa verifikator atau menunggu tanda tangan, sehingga belum dapat diubah. Tunggu sampai dikembalikan bila perlu perbaikan.', { id: d.id });
    }
    return d;
  };

  const view = (d: Draft): DraftView => ({
    id: d.id, content: d.content, status: d.status, letterId: d.letterId, version: d.version, updatedAt: d.updatedAt, chain: chainOf(d.id),
    attachments: d.attachments.map((hash) => {
      const doc = store.documents.get(hash);
      return { hash, name: doc?.originalName ?? 'lampiran.pdf', pageCount: doc?.pageCount ?? 0 };
    }),
  });

  /** The letter's PDF from the draft as saved: the preview and the submitted letter are this. */
  const render = (d: Draft): Promise<Uint8Array> => renderer.render(d);

  const saved = (d: Draft) => { deps.changed(); return view(d); };

  return {
    'drafting.templates': () => { const { letterhead, templates } = renderer.current(); return { letterhead, templates }; },
    'drafting.list': () => store.drafts.ofAuthor(deps.actor()).map((d) => view(current(d))),
    'drafting.create': ({ type }) => {
      const naskah = renderer.current();
      return saved(store.drafts.create(newDraft(renderer.templateOf(type, naskah.id ?? undefined), naskah.id), deps.actor()));
    },
    'drafting.get': ({ id }) => view(own(id)),
    'drafting.save': ({ id, version, content }) => {
      const draft = editable(own(id));
      // A save from a screen that had an older version (another window) would undo newer text.
      if (version !== draft.version) {
        throw new AppError('DRAFT_CHANGED', undefined, { id, version: draft.version });
      }
      // The kop and templates a draft was started with stay its own: a save never moves it to another version.
      const { naskahVersion: _asSent, ...typed } = content;
      const pinned = draft.content.naskahVersion === undefined ? typed : { ...typed, naskahVersion: draft.content.naskahVersion };
      return saved(store.drafts.save(id, { content: pinned }, deps.actor()));
    },
    'drafting.attach': async ({ id, uploadId, fileName }) => {
      const draft = editable(own(id));
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
      const draft = editable(own(id));
      return saved(store.drafts.save(id, { attachments: draft.attachments.filter((h) => h !== hash) }, deps.actor()));
    },
    'drafting.preview': async ({ id }) => transfers.offer({ bytes: await renderer.render(own(id), { whileMissing: 'notice' }) }, 'konsep.pdf', 'application/pdf'),
    'drafting.submit': async ({ id, verifiers = [], signer, classificationCode }) => {
      const draft = editable(own(id));
      if (draft.status !== 'draft') throw new AppError('VALIDATION', 'Konsep ini sudah diajukan untuk ditandatangani.', { id, letterId: draft.letterId });
      const template = renderer.templateOf(draft.type, draft.content.naskahVersion);
      // A draft untouched since its template (version 0, hal empty) stops here: it has no first version to send.
      checkComplete(template, draft.content);
      const chain = deps.chain;
      if (chain?.available()) {
        const mine = chain.held(deps.actor());
        const known = chain.positions();
        if (new Set(verifiers).size !== verifiers.length || verifiers.some((v) => mine.has(v) || !known.has(v))) {
          throw invalid('verifiers', 'Verifikator harus jabatan lain di kantor ini, masing-masing sekali. Pilih lagi dari daftar.');
        }
        const signerId = await chain.resolveSigner(signer);
        store.paraf.submit({
          draftId: draft.id, version: draft.version, verifiers, signerId, classificationCode: classificationCode ?? null, submittedAt: (deps.now ?? (() => new Date()))().toISOString(),
        }, deps.actor());
        deps.changed();
        return saved(draft);
      }
      if (verifiers.length > 0) throw invalid('verifiers', 'Paraf verifikator memerlukan meja yang tersambung ke server kantor. Ajukan tanpa verifikator, atau sambungkan meja ke server.');
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

/** The office's kop and templates kept on the desk, for the person signed in (the shipped ones, in the office's name, until its admin saves its own). */
export function deskNaskahSource(desk: Desk): NaskahSource {
  const user = () => desk.sync.session.user();
  return naskahSource({ kept: desk.store.naskah, officeId: () => user()?.officeId ?? null, officeName: () => user()?.officeName ?? null });
}

/** Drafts at a desk render with the office's kop and templates kept on it. */
export function deskDraftRenderer(desk: Desk): DraftRenderer {
  const blobs = createBlobStore(desk.documentsDir, { log: desk.log.child({ part: 'drafting' }) });
  return draftRenderer(blobs, deskNaskahSource(desk));
}

export function draftingCapability(desk: Desk): Capability {
  const officials = signingOfficials({ store: desk.store, server: officialsServer(desk), log: desk.log.child({ part: 'officials' }) });
  const at = () => new Date().toISOString();
  return {
    handlers: draftingHandlers({
      renderer: deskDraftRenderer(desk),
      store: desk.store, blobs: createBlobStore(desk.documentsDir, { log: desk.log.child({ part: 'drafting' }) }), transfers: desk.transfers,
      actor: desk.actor, changed: () => { desk.bus.emit('dashboard.changed', {}); desk.syncSoon(); },
      chain: {
        available: () => desk.sync.serverUrl() !== '' && desk.sync.session.user() !== null,
        resolveSigner: (signer) => officials.resolve(signer),
        held: (userId) => new Set(desk.store.org.heldPositions(userId, at()).map((p) => p.id)),
        positions: () => new Set(desk.store.org.positions(at()).map((p) => p.id)),
      },
    }),
  };
}
