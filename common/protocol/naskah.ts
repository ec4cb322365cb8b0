// Kop dan templat naskah dinas in the server's API and change feed: the admin kantor keeps the office's
// letterhead (its lines, and its logo as a blob uploaded first) and its templates of the document types.
// Every save makes a new version; versions are never changed, so a draft names the version it was
// written with and renders with it until it is signed, wherever it is opened. The office's desks get
// each version through the change feed. Imports zod and common/ only.
import { z } from 'zod';
import { LetterheadSchema, TemplateSchema } from '../ipc/drafting.ts';
import { Sha256 } from './primitives.ts';

/** The letterhead as the server keeps it: the lines, and the logo named by its blob's SHA-256. */
export const NaskahLetterhead = LetterheadSchema.omit({ logo: true }).extend({ logoSha256: Sha256.nullable() }).strict();
export type NaskahLetterhead = z.infer<typeof NaskahLetterhead>;

/** Limits of the logo: PNG or JPEG, at most this many bytes and pixels each way. */
export const logoLimits = { maxBytes: 1_000_000, maxSide: 4000, minSide: 16 } as const;

/** The templates of an office: at most one per document type. */
export const NaskahTemplates = z.array(TemplateSchema).min(1).max(20).superRefine((templates, ctx) => {
  const seen = new Set<string>();
  for (const [i, t] of templates.entries()) {
    if (seen.has(t.type)) ctx.addIssue({ code: 'custom', path: [i, 'type'], message: `Ada dua templat untuk jenis naskah ${t.name}. Satu jenis naskah hanya boleh punya satu templat.` });
    seen.add(t.type);
  }
});

/** PUT /admin/offices/:id/naskah: the whole kop and template set, saved as the office's next version. */
export const SaveNaskahBody = z.object({
  letterhead: NaskahLetterhead,
  templates: NaskahTemplates,
  /** The version the editor started from (null: the shipped defaults); a newer one saved meanwhile is a conflict. */
  basedOn: z.string().min(1).max(100).nullable(),
}).strict();
export type SaveNaskahBody = z.infer<typeof SaveNaskahBody>;

/** One saved version of an office's kop and templates, as the server answers and the feed carries it. */
export const NaskahVersionData = z.object({
  id: z.string().min(1),
  officeId: z.string(),
  /** 1, 2, 3 … per office. */
  version: z.number().int().min(1),
  letterhead: NaskahLetterhead,
  templates: z.array(TemplateSchema),
  createdBy: z.string(),
  createdByName: z.string(),
  createdAt: z.string(),
});
export type NaskahVersionData = z.infer<typeof NaskahVersionData>;

/** GET /offices/:id/naskah: the office's current version; null while it uses the shipped defaults. */
export const NaskahReply = z.object({ current: NaskahVersionData.nullable() });
export type NaskahReply = z.infer<typeof NaskahReply>;

/** 'naskah': one version per row, keyed by its id, so every desk keeps every version a draft may name. */
export const naskahFeed = { naskah: NaskahVersionData } as const;
