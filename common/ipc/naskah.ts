// Kop & Templat Naskah in Pengaturan: the admin kantor edits the office's letterhead (its lines and its
// logo) and, per document type, what the template shows and the texts a draft starts with, watching a
// live preview made by the renderer of the letters themselves; saving goes to the server (a new version
// for every desk of the office), so it needs the server. Everyone else sees what their desk uses.
import { z } from 'zod';
import { defineContract, Empty } from './base.ts';
import { FileRefSchema } from './documents.ts';
import { LetterheadSchema, TemplateSchema } from './drafting.ts';

export const NaskahEditorSchema = z.object({
  letterhead: LetterheadSchema,
  templates: z.array(TemplateSchema),
  /** The version kept on this desk (null: the shipped defaults), and who saved it when. */
  versionId: z.string().nullable(),
  version: z.number().int().nullable(),
  /** Whether the person signed in edits them (the office's admin kantor, signed in with the server). */
  canEdit: z.boolean(),
  /** Whether the server answered the last check: saving needs it. */
  online: z.boolean(),
});
export type NaskahEditor = z.infer<typeof NaskahEditorSchema>;

export const naskah = defineContract({
  channels: {
    /** The kop and templates this desk uses now, and whether the person may edit them. */
    'naskah.get': { request: Empty, reply: NaskahEditorSchema },
    /** A page of `template` with `letterhead`, as a letter drafted from it would print (a PDF, the same renderer). */
    'naskah.preview': { request: z.object({ letterhead: LetterheadSchema, template: TemplateSchema }).strict(), reply: FileRefSchema },
    /** Saves the whole kop and template set as the office's next version; `basedOn` is the version the editor started from. */
    /** The office's newest version, taken from the server now and kept (after a save refused because another desk saved meanwhile). */
    'naskah.reload': { request: Empty, reply: NaskahEditorSchema },
    'naskah.save': {
      request: z.object({ letterhead: LetterheadSchema, templates: z.array(TemplateSchema).min(1).max(20), basedOn: z.string().nullable() }).strict(),
      reply: NaskahEditorSchema,
    },
  },
  events: {},
  errors: {
    NASKAH_OFFLINE: {
      id: 'Menyimpan kop dan templat naskah memerlukan sambungan ke server kantor, dan meja ini sedang tidak tersambung. Perubahan Anda masih ada di layar; simpan lagi setelah tersambung.',
      en: 'Saving the letterhead and templates needs the office server, and this desk is not connected. Your changes are still on screen; save again once connected.',
    },
    NASKAH_OFFLINE_RELOAD: {
      id: 'Versi terbaru kop dan templat naskah belum dapat diambil karena meja ini tidak tersambung ke server kantor. Perubahan Anda masih ada di layar; coba lagi setelah tersambung.',
      en: 'The newest letterhead and templates cannot be fetched because this desk is not connected to the office server. Your changes are still on screen; try again once connected.',
    },
    NASKAH_ADMIN_ONLY: {
      id: 'Kop dan templat naskah hanya dapat diubah oleh admin kantor yang masuk dengan akunnya di server kantor.',
      en: 'Only the office administrator signed in with their server account can change the letterhead and templates.',
    },
    NASKAH_REFUSED: {
      id: 'Server tidak menyimpan kop dan templat naskah ini.',
      en: 'The server did not save this letterhead and templates.',
    },
  },
});
