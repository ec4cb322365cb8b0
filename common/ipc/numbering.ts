// Agenda numbering and the archive classification list (Pengaturan): the agency's number formats (the
// incoming agenda's and the outgoing book's, each with the next number previewed), and the
// classification codes letters are filed and numbered by.
import { z } from 'zod';
import { classificationCodePattern } from '../letters.ts';
import { defineContract, Empty } from './base.ts';

export const ClassificationSchema = z.object({
  code: z.string().trim().regex(classificationCodePattern, 'Kode klasifikasi berbentuk angka seperti 005 atau 800.1.2'),
  name: z.string().trim().min(1, 'Nama klasifikasi wajib diisi').max(200, 'Nama klasifikasi paling panjang 200 karakter'),
});
export type Classification = z.infer<typeof ClassificationSchema>;

/** The agency's number format of one book (incoming agenda or outgoing letters); main checks that the template parses and holds {urut}. */
export const AgendaConfigSchema = z.object({
  template: z.string().trim().min(1, 'Format nomor agenda wajib diisi, misalnya {urut:4}/{kode_unit}/{tahun}.').max(120, 'Format nomor agenda paling panjang 120 karakter.'),
  unitCode: z.string().trim().min(1, 'Kode unit wajib diisi, misalnya UMUM.').max(20, 'Kode unit paling panjang 20 karakter.')
    .regex(/^[^\s{}]+$/, 'Kode unit tidak boleh memuat spasi atau tanda { }; misalnya UMUM atau SEKR-UMUM.'),
});
export type AgendaConfig = z.infer<typeof AgendaConfigSchema>;
export const AgendaSettingsSchema = z.object({
  config: AgendaConfigSchema,
  /** Whether the person at the desk may change the format and the classification list (main/letters/numbering/agenda-settings.ts). */
  editable: z.boolean(),
});

export const numbering = defineContract({
  channels: {
    'letters.agendaConfig': { request: Empty, reply: AgendaSettingsSchema },
    'letters.agendaConfig.save': { request: AgendaConfigSchema.strict(), reply: AgendaSettingsSchema },
    /** The label the next registered letter would get with this format (nothing is saved or taken). */
    'letters.agendaConfig.preview': {
      request: AgendaConfigSchema.strict(),
      reply: z.object({ label: z.string(), sampleClassification: z.string().nullable(), numbersHeld: z.boolean() }),
    },
    /** The outgoing book's own format: the number signing gives a letter and writes on it. */
    'letters.outgoingConfig': { request: Empty, reply: AgendaSettingsSchema },
    'letters.outgoingConfig.save': { request: AgendaConfigSchema.strict(), reply: AgendaSettingsSchema },
    /** The number the next signed letter would get with this format (nothing is saved or taken). */
    'letters.outgoingConfig.preview': {
      request: AgendaConfigSchema.strict(),
      reply: z.object({ label: z.string(), sampleClassification: z.string().nullable(), numbersHeld: z.boolean() }),
    },
    /** A new classification code; one the list already has is refused (its name is changed with letters.classification.save). */
    'letters.classification.add': { request: ClassificationSchema.strict(), reply: ClassificationSchema },
    'letters.classifications': { request: z.object({ query: z.string().max(200) }).strict(), reply: z.array(ClassificationSchema) },
    'letters.classification.save': { request: ClassificationSchema.strict(), reply: ClassificationSchema },
  },
  events: {},
  errors: {
    AGENDA_NUMBERS_EXHAUSTED: {
      id: 'Nomor agenda untuk meja ini sudah habis, jadi surat belum dicatat. Sambungkan meja ke server dan masuk sebagai admin kantor atau operator utama agar meja mendapat blok nomor baru, atau minta bantuan admin kantor. Dokumen tetap tersimpan dan isian formulir tidak hilang; tekan Simpan lagi setelah itu.',
      en: 'This desk has no agenda numbers left, so the letter was not recorded yet. Connect the desk to the server and sign in as office admin or central mail operator so it gets a new block of numbers, or ask the office admin. The document is kept and the form stays filled in; press Save again afterwards.',
    },
    ADMIN_ROLE_REQUIRED: {
      id: 'Meja ini tersambung ke server, jadi hanya admin kantor yang dapat mengubah format nomor agenda dan daftar klasifikasi arsip. Masuk dengan akun admin kantor; tidak ada yang berubah.',
      en: 'This desk works with a server, so only an office administrator can change the agenda number format and the archival classification list. Sign in with an office administrator\'s account; nothing was changed.',
    },
  },
});
