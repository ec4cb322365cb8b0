// The letterhead and the templates of the document types a desk starts with, shipped in
// resources/naskah/ and used until the office's admin kantor saves its own (synced to its desks, kept
// by main/store/naskah.ts); and which of them a letter is rendered with. Read and checked against the
// contract's schemas, so a broken file is found when it is read, never half-way through a letter.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../common/errors.ts';
import { LetterheadSchema, TemplateSchema, type DocumentType, type Letterhead, type Template } from '../../../common/ipc/drafting.ts';
import { defaultResourcesDir } from '../numbering/classifications.ts';

const ShippedLetterhead = LetterheadSchema.omit({ logo: true }).extend({ logoFile: z.string().nullable() }).strict();

/** The shipped letterhead, its logo read into the record. */
export function shippedLetterhead(resourcesDir: string = defaultResourcesDir): Letterhead {
  const dir = join(resourcesDir, 'naskah');
  const { logoFile, ...rest } = ShippedLetterhead.parse(JSON.parse(readFileSync(join(dir, 'kop.json'), 'utf8')));
  return { ...rest, logo: logoFile === null ? null : readFileSync(join(dir, logoFile)).toString('base64') };
}

/** The shipped templates, one per document type, in the order a clerk picks from. */
export function shippedTemplates(resourcesDir: string = defaultResourcesDir): Template[] {
  const file = z.object({ templates: z.array(TemplateSchema) }).parse(JSON.parse(readFileSync(join(resourcesDir, 'naskah', 'templates.json'), 'utf8')));
  const seen = new Set<DocumentType>();
  for (const t of file.templates) {
    if (seen.has(t.type)) throw new Error(`resources/naskah/templates.json: two templates of type ${t.type}`);
    seen.add(t.type);
  }
  return file.templates;
}

/** A set of kop and templates a letter is rendered with: a synced version (its id), or the shipped defaults (id null). */
export interface Naskah {
  id: string | null;
  letterhead: Letterhead;
  templates: Template[];
}

/** Where the kop and templates come from: the versions kept on this desk (main/store/naskah.ts), else the shipped ones. */
export interface NaskahSource {
  /** What a new draft starts with: the office's newest kept version, or the shipped defaults. */
  current(): Naskah;
  /** The version a draft names (undefined: the shipped defaults). */
  of(versionId: string | undefined): Naskah;
}

export interface NaskahSourceOptions {
  /** The kept versions; a standalone desk or a tool has none and uses the shipped defaults. */
  kept?: { latest(officeId: string | null): Naskah | undefined; get(id: string): Naskah | undefined };
  /** The office of the person signed in, when known. */
  officeId?: () => string | null;
  /** Its name as the server knows it: until the admin kantor saves the office's own kop, the shipped one carries it. */
  officeName?: () => string | null;
  resourcesDir?: string;
}

export function naskahSource(options: NaskahSourceOptions = {}): NaskahSource {
  const shipped: Naskah = { id: null, letterhead: shippedLetterhead(options.resourcesDir), templates: shippedTemplates(options.resourcesDir) };
  const pick = (n: Naskah): Naskah => ({ id: n.id, letterhead: n.letterhead, templates: n.templates });
  /**
   * The shipped kop names another agency: an office that has not saved its own yet writes its own name
   * in it, without the shipped agency's telephone and e-mail line.
   */
  const shippedHere = (): Naskah => {
    const name = options.officeName?.()?.trim();
    return name ? { ...shipped, letterhead: { ...shipped.letterhead, agency: name.toUpperCase().slice(0, 200), contact: '' } } : shipped;
  };
  return {
    current() {
      const latest = options.kept?.latest(options.officeId?.() ?? null);
      return latest ? pick(latest) : shippedHere();
    },
    of(versionId) {
      if (versionId === undefined) return shippedHere();
      const kept = options.kept?.get(versionId);
      if (kept === undefined) {
        throw new AppError('NOT_FOUND', 'Kop dan templat naskah yang dipakai konsep ini belum ada di meja ini, jadi suratnya belum dapat ditampilkan. Sinkronkan meja ini dengan server lalu coba lagi.', { naskahVersion: versionId });
      }
      return pick(kept);
    },
  };
}
