// The letterhead and the templates of the document types a desk starts with, shipped in
// resources/naskah/ (the office's admin edits its own copies). Read and checked against the contract's
// schemas, so a broken file is found when it is read, never half-way through a letter.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
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
