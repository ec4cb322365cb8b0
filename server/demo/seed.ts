// A demo regional government for the embedded default and the tests: three offices, each with the
// structure of a regional office (Kepala, Sekretaris with the Subbagian Umum, three Kepala
// Bidang/Bagian each with a Kepala Seksi/Subbagian, a Jabatan Fungsional and Pelaksana), a person
// holding every position, plus one super admin.
//
// Demo sign-in (every demo user has the password `demoPassword`, "Loket-Demo-2026"):
//   superadmin                                     super admin (all offices)
//   admin.<office>  operator.<office>  verifikator.<office> (Sekretaris)  penandatangan.<office> (Kepala)  staf.<office>
//   kasubbag.<office>  fungsional.<office>  kabid.<bidang>.<office>  kasi.<bidang>.<office>
//   where <office> is setda, dinkes or disdik, and <bidang> one of the office's three (demoDivisions).
// Never run this against a production database.
import type { Db } from '../db/database.ts';
import type { Role } from '../db/schema.ts';
import type { PositionLevel } from '../../common/protocol/org.ts';
import { hashPassword } from '../../common/passwords.ts';

export const demoPassword = 'Loket-Demo-2026';
/** Since when the demo people hold their positions: long before any clock a test sets. */
const demoHoldingsStart = '2020-01-02T00:00:00.000Z';

export const demoOffices = [
  { id: 'office-setda', code: 'setda', name: 'Sekretariat Daerah' },
  { id: 'office-dinkes', code: 'dinkes', name: 'Dinas Kesehatan' },
  { id: 'office-disdik', code: 'disdik', name: 'Dinas Pendidikan dan Kebudayaan' },
] as const;

export type DemoOfficeCode = (typeof demoOffices)[number]['code'];

/** Each office's divisions (Bidang, or Bagian in the Sekretariat Daerah) and the section under each. */
export const demoDivisions: Record<DemoOfficeCode, readonly { code: string; name: string; section: string }[]> = {
  setda: [
    { code: 'pem', name: 'Bagian Pemerintahan', section: 'Subbagian Administrasi Pemerintahan' },
    { code: 'hukum', name: 'Bagian Hukum', section: 'Subbagian Perundang-undangan' },
    { code: 'org', name: 'Bagian Organisasi', section: 'Subbagian Kelembagaan dan Analisis Jabatan' },
  ],
  dinkes: [
    { code: 'kesmas', name: 'Bidang Kesehatan Masyarakat', section: 'Seksi Promosi Kesehatan' },
    { code: 'p2p', name: 'Bidang Pencegahan dan Pengendalian Penyakit', section: 'Seksi Surveilans dan Imunisasi' },
    { code: 'yankes', name: 'Bidang Pelayanan Kesehatan', section: 'Seksi Pelayanan Kesehatan Rujukan' },
  ],
  disdik: [
    { code: 'sd', name: 'Bidang Pembinaan Sekolah Dasar', section: 'Seksi Kurikulum SD' },
    { code: 'smp', name: 'Bidang Pembinaan SMP', section: 'Seksi Peserta Didik SMP' },
    { code: 'budaya', name: 'Bidang Kebudayaan', section: 'Seksi Cagar Budaya' },
  ],
};

interface DemoPerson {
  /** The username's first part; the position id is position-<office>-<key>. */
  key: string;
  username: string;
  role: Role;
  unit: string;
  parent: string | null;
  title: string;
  level: PositionLevel;
  name: string;
}

const divisionHeadNames = ['Ir. Hendra Gunawan, M.T.', 'Yuliana Sari, S.H., M.H.', 'drg. Fitri Ramadhani'];
const sectionHeadNames = ['Agus Prasetyo, S.Sos.', 'Nur Aisyah, S.Kom.', 'Bambang Riyadi, S.E.'];

/** The people and positions of one demo office, parents before children. */
function officePeople(office: (typeof demoOffices)[number]): DemoPerson[] {
  const c = office.code;
  const head = office.code === 'setda' ? 'Sekretaris Daerah' : `Kepala ${office.name}`;
  const secretary = office.code === 'setda' ? 'Asisten Administrasi Umum' : `Sekretaris ${office.name}`;
  const people: DemoPerson[] = [
    { key: 'penandatangan', username: `penandatangan.${c}`, role: 'signer', unit: 'pimpinan', parent: null, title: head, level: 'kepala', name: 'Dr. Ahmad Fauzi' },
    { key: 'verifikator', username: `verifikator.${c}`, role: 'verifier', unit: 'sekretariat', parent: 'penandatangan', title: secretary, level: 'sekretaris', name: 'Sri Handayani' },
    { key: 'kasubbag', username: `kasubbag.${c}`, role: 'staff', unit: 'umum', parent: 'verifikator', title: 'Kepala Subbagian Umum dan Kepegawaian', level: 'kepala_subbagian', name: 'Mulyadi, S.AP.' },
    { key: 'admin', username: `admin.${c}`, role: 'admin_kantor', unit: 'umum', parent: 'kasubbag', title: 'Pengelola Sistem Kantor', level: 'pelaksana', name: 'Rina Wulandari' },
    { key: 'operator', username: `operator.${c}`, role: 'operator_utama', unit: 'umum', parent: 'kasubbag', title: 'Pengadministrasi Umum', level: 'pelaksana', name: 'Budi Santoso' },
  ];
  demoDivisions[c].forEach((d, i) => {
    people.push({ key: `kabid-${d.code}`, username: `kabid.${d.code}.${c}`, role: 'verifier', unit: d.code, parent: 'penandatangan', title: `Kepala ${d.name}`, level: 'kepala_bidang', name: divisionHeadNames[i]! });
    people.push({ key: `kasi-${d.code}`, username: `kasi.${d.code}.${c}`, role: 'staff', unit: d.code, parent: `kabid-${d.code}`, title: `Kepala ${d.section}`, level: 'kepala_subbagian', name: sectionHeadNames[i]! });
  });
  const first = demoDivisions[c][0]!;
  people.push(
    { key: 'fungsional', username: `fungsional.${c}`, role: 'staff', unit: first.code, parent: `kabid-${first.code}`, title: 'Analis Kebijakan Ahli Muda', level: 'fungsional', name: 'Siti Rahmawati, S.K.M.' },
    { key: 'staf', username: `staf.${c}`, role: 'staff', unit: first.code, parent: `kasi-${first.code}`, title: 'Staf Pelaksana', level: 'pelaksana', name: 'Dewi Lestari' },
  );
  return people;
}

/** Username of a demo user, e.g. demoUsername('admin', 'dinkes') → 'admin.dinkes'. */
export function demoUsername(prefix: string, office: DemoOfficeCode): string {
  return `${prefix}.${office}`;
}

/** The demo position id of a person of an office, e.g. demoPositionId('kabid-kesmas', 'dinkes'). */
export function demoPositionId(key: string, office: DemoOfficeCode): string {
  return `position-${office}-${key}`;
}

/** Inserts the demo organisation unless a region already exists. Returns whether it seeded. */
export async function seedDemo(db: Db, now = new Date().toISOString()): Promise<boolean> {
  if (await db.selectFrom('regions').select('id').executeTakeFirst()) return false;
  const everyone = demoOffices.map((o) => ({ office: o, people: officePeople(o) }));
  // One hash for every demo user: they share the password anyway, and hashing forty times slows every test's start.
  const hash = await hashPassword(demoPassword);
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('regions').values({ id: 'region-demo', name: 'Pemerintah Kabupaten Contoh' }).execute();
    await trx.insertInto('users').values({
      id: 'user-superadmin', office_id: null, position_id: null, username: 'superadmin', full_name: 'Super Admin Kabupaten', nip: null,
      role: 'super_admin', password_hash: hash, password_changed_at: now, active: 1, created_at: now,
    }).execute();
    for (const { office, people } of everyone) {
      const c = office.code;
      const unitId = (u: string) => `unit-${c}-${u}`;
      await trx.insertInto('offices').values({ id: office.id, region_id: 'region-demo', code: c, name: office.name }).execute();
      await trx.insertInto('units').values([
        { id: unitId('pimpinan'), office_id: office.id, parent_unit_id: null, name: 'Pimpinan' },
        { id: unitId('sekretariat'), office_id: office.id, parent_unit_id: unitId('pimpinan'), name: c === 'setda' ? 'Asisten Administrasi Umum' : 'Sekretariat' },
        { id: unitId('umum'), office_id: office.id, parent_unit_id: unitId('sekretariat'), name: 'Subbagian Umum dan Kepegawaian' },
        ...demoDivisions[c].map((d) => ({ id: unitId(d.code), office_id: office.id, parent_unit_id: unitId('pimpinan'), name: d.name })),
      ]).execute();
      for (const [order, p] of people.entries()) {
        const positionId = demoPositionId(p.key, c);
        const userId = `user-${p.key}-${c}`;
        await trx.insertInto('positions').values({
          id: positionId, unit_id: unitId(p.unit), office_id: office.id, parent_position_id: p.parent ? demoPositionId(p.parent, c) : null,
          title: p.title, level: p.level, is_head: p.level === 'kepala' ? 1 : 0, sort_order: order, active: 1,
        }).execute();
        await trx.insertInto('users').values({
          id: userId, office_id: office.id, position_id: null, username: p.username,
          full_name: p.name, nip: null, role: p.role, password_hash: hash, password_changed_at: now, active: 1, created_at: now,
        }).execute();
        await trx.insertInto('position_holdings').values({ id: `holding-${userId}`, position_id: positionId, user_id: userId, capacity: 'definitive', starts_at: demoHoldingsStart, ends_at: null }).execute();
      }
      // The office allows its Sekretaris to dispose to every Kepala Bidang, besides the reporting line.
      await trx.insertInto('disposition_routes').values(demoDivisions[c].map((d) => ({
        office_id: office.id, from_position_id: demoPositionId('verifikator', c), to_position_id: demoPositionId(`kabid-${d.code}`, c),
      }))).execute();
    }
  });
  return true;
}
