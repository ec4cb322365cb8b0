// The office's kop and templates at the desk. Sync: after each pull, every version the feed brought
// that is not kept yet has its logo downloaded (checked against its SHA-256) and is then kept whole, so
// a version is used only once it can be printed; a logo that cannot be fetched now is tried again after
// the next pull, and until then the desk keeps using the last version it kept (offline too). Editing:
// the admin kantor's Kop & Templat Naskah section previews with the letters' own renderer and saves
// through the server (the logo uploaded as a blob first); refused because another desk saved a newer
// version meanwhile, the editor takes the newest version from the server when the admin chooses to.
import { createHash } from 'node:crypto';
import { AppError } from '../../../common/errors.ts';
import type { Letterhead, Template } from '../../../common/ipc/drafting.ts';
import type { naskah, NaskahEditor } from '../../../common/ipc/naskah.ts';
import type { Logger } from '../../../common/logger.ts';
import { NaskahReply, NaskahVersionData } from '../../../common/protocol/naskah.ts';
import { checkLogo, LogoRefused } from '../../../common/protocol/naskah-logo.ts';
import type { Capability, Desk } from '../../app/desk.ts';
import type { Transfers } from '../../documents/transfers.ts';
import type { Handlers } from '../../ipc/router.ts';
import { uploadBlob } from '../../remote/blob-upload.ts';
import { ServerError, type ServerClient } from '../../remote/client.ts';
import type { Store } from '../../store/store.ts';
import { newDraft, renderLetter } from './render.ts';
import type { NaskahSource } from './templates.ts';
import { deskNaskahSource } from './drafting.ts';

/** Keeps a version once its logo's bytes are here and match their hash; false when the logo could not be fetched now. */
async function keepVersion(store: Store, client: ServerClient, token: string, version: NaskahVersionData, log: Logger): Promise<boolean> {
  const sha256 = version.letterhead.logoSha256;
  if (sha256 === null) { store.naskah.keep(version, null); return true; }
  try {
    const reply = await client.raw('GET', `/blobs/${sha256}`, { token, timeoutMs: 30_000 });
    if (reply.status !== 200) { log.info('naskah: logo not fetched, trying after the next pull', { version: version.version, status: reply.status }); return false; }
    if (createHash('sha256').update(reply.body).digest('hex') !== sha256) { log.warn('naskah: logo bytes do not match their hash', { version: version.version }); return false; }
    store.naskah.keep(version, reply.body);
    return true;
  } catch (err) {
    log.info('naskah: logo not fetched, trying after the next pull', { version: version.version, code: (err as { code?: unknown }).code });
    return false;
  }
}

export async function keepNaskahVersions(store: Store, client: ServerClient, token: string, log: Logger): Promise<void> {
  for (const version of store.naskah.waiting()) await keepVersion(store, client, token, version, log);
}

/** What the Kop & Templat Naskah section needs of the desk. */
export interface NaskahEditorDeps {
  store: Store;
  transfers: Pick<Transfers, 'offer'>;
  source: NaskahSource;
  user(): { id: string; roles: readonly string[]; officeId: string | null } | null;
  online(): boolean;
  client(): ServerClient | undefined;
  accessToken(): Promise<string>;
  log: Logger;
}

/** A page of the template as a letter drafted from it prints: its texts and placeholders as they are, a sample addressee and signer. */
function sampleOf(template: Template) {
  return { ...newDraft(template), hal: '(hal surat)', addressees: ['(tujuan surat)'], from: '(jabatan pengirim)', signer: { position: '(jabatan penanda tangan)', name: '(nama penanda tangan)', rank: '(pangkat/golongan)', nip: '(NIP)' } };
}

/** The logo as the server will check it, refused here first so nothing is uploaded for nothing. */
function logoBytes(letterhead: Letterhead): Buffer | null {
  if (letterhead.logo === null) return null;
  try {
    const bytes = Buffer.from(letterhead.logo, 'base64');
    checkLogo(bytes);
    return bytes;
  } catch (err) {
    if (err instanceof LogoRefused) throw new AppError('VALIDATION', err.message, { issues: [{ path: ['letterhead', 'logo'], message: err.message }] });
    throw err;
  }
}

export function naskahHandlers(deps: NaskahEditorDeps): Pick<Handlers, keyof typeof naskah.channels> {
  const { store, source } = deps;
  const editor = (): NaskahEditor => {
    const current = source.current();
    const kept = current.id === null ? undefined : store.naskah.get(current.id);
    const user = deps.user();
    return {
      letterhead: current.letterhead, templates: current.templates, versionId: current.id, version: kept?.version ?? null,
      canEdit: user !== null && user.roles.includes('admin_kantor') && user.officeId !== null, online: deps.online(),
    };
  };
  return {
    'naskah.get': () => editor(),
    'naskah.preview': async ({ letterhead, template }) => {
      logoBytes(letterhead);
      const pdf = await renderLetter({ template, letterhead, draft: sampleOf(template) });
      return deps.transfers.offer({ bytes: pdf }, `pratinjau-${template.type}.pdf`, 'application/pdf');
    },
    'naskah.reload': async () => {
      const user = deps.user();
      if (!user?.roles.includes('admin_kantor') || user.officeId === null) throw new AppError('NASKAH_ADMIN_ONLY');
      const client = deps.client();
      if (client === undefined || !deps.online()) throw new AppError('NASKAH_OFFLINE_RELOAD');
      try {
        const token = await deps.accessToken();
        const { current } = await client.json('GET', `/offices/${encodeURIComponent(user.officeId)}/naskah`, NaskahReply, { token });
        if (current !== null && !(await keepVersion(store, client, token, current, deps.log))) throw new AppError('NASKAH_OFFLINE_RELOAD');
        return editor();
      } catch (err) {
        if (!(err instanceof ServerError)) throw err;
        if (err.status === 0) throw new AppError('NASKAH_OFFLINE_RELOAD', undefined, {}, { cause: err });
        throw new AppError('NASKAH_REFUSED', err.message, { code: err.code, ...(err.details ?? {}) }, { cause: err });
      }
    },
    'naskah.save': async ({ letterhead, templates, basedOn }) => {
      const user = deps.user();
      if (!user?.roles.includes('admin_kantor') || user.officeId === null) throw new AppError('NASKAH_ADMIN_ONLY');
      const logo = logoBytes(letterhead);
      const client = deps.client();
      if (client === undefined || !deps.online()) throw new AppError('NASKAH_OFFLINE');
      const { logo: _base64, ...lines } = letterhead;
      try {
        const token = await deps.accessToken();
        const logoSha256 = logo === null ? null : createHash('sha256').update(logo).digest('hex');
        if (logo !== null && logoSha256 !== null) await uploadBlob({ client, token, sha256: logoSha256, bytes: logo });
        const saved = await client.json('PUT', `/admin/offices/${encodeURIComponent(user.officeId)}/naskah`, NaskahVersionData, {
          token, json: { letterhead: { ...lines, logoSha256 }, templates, basedOn },
        });
        // Kept at once: the admin's own desk shows what it saved without waiting for its next pull.
        store.naskah.keep(saved, logo);
        deps.log.info('naskah: saved', { version: saved.version });
        return editor();
      } catch (err) {
        if (!(err instanceof ServerError)) throw err;
        if (err.status === 0) throw new AppError('NASKAH_OFFLINE', undefined, {}, { cause: err });
        throw new AppError('NASKAH_REFUSED', err.message, { code: err.code, ...(err.details ?? {}) }, { cause: err });
      }
    },
  };
}

export function naskahCapability(desk: Desk): Capability {
  return {
    handlers: naskahHandlers({
      store: desk.store, transfers: desk.transfers,
      source: deskNaskahSource(desk),
      user: () => desk.sync.session.user(), online: desk.online, client: desk.sync.client, accessToken: () => desk.sync.auth.accessToken(),
      log: desk.log.child({ part: 'naskah' }),
    }),
  };
}
