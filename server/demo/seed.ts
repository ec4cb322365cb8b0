// A demo regional government for the embedded default and the tests: three offices, each with its
// units, positions and a user for every office role, plus one super admin.
//
// Demo sign-in (every demo user has the password `demoPassword`, "Loket-Demo-2026"):
//   superadmin                                     super admin (all offices)
//   admin.<office>  operator.<office>  verifikator.<office>  penandatangan.<office>  staf.<office>
//   where <office> is setda, dinkes or disdik.
// Never run this against a production database.
import type { Db } from '../db/database.ts';
import type { Role } from '../db/schema.ts';
import { hashPassword } from '../../common/passwords.ts';

export const demoPassword = 'Loket-Demo-2026';

export const demoOffices = [
  { id: 'office-setda', code: 'setda', name: 'Sekretariat Daerah' },
  { id: 'office-dinkes', code: 'dinkes', name: 'Dinas Kesehatan' },
  { id: 'office-disdik', code: 'disdik', name: 'Dinas Pendidikan dan Kebudayaan' },
] as const;

export type DemoOfficeCode = (typeof demoOffices)[number]['code'];

const people: { prefix: string; role: Role; unit: 'head' | 'umum'; title: string; isHead: boolean; name: string }[] = [
  { prefix: 'admin', role: 'admin_kantor', unit: 'umum', title: 'Pengelola Sistem Kantor', isHead: false, name: 'Rina Wulandari' },
  { prefix: 'operator', role: 'operator_utama', unit: 'umum', title: 'Pengadministrasi Umum', isHead: false, name: 'Budi Santoso' },
  { prefix: 'verifikator', role: 'verifier', unit: 'head', title: 'Sekretaris', isHead: false, name: 'Sri Handayani' },
  { prefix: 'penandatangan', role: 'signer', unit: 'head', title: 'Kepala', isHead: true, name: 'Dr. Ahmad Fauzi' },
  { prefix: 'staf', role: 'staff', unit: 'umum', title: 'Staf Pelaksana', isHead: false, name: 'Dewi Lestari' },
];

/** Username of a demo user, e.g. demoUsername('admin', 'dinkes') → 'admin.dinkes'. */
export function demoUsername(prefix: string, office: DemoOfficeCode): string {
  return `${prefix}.${office}`;
}

/** Inserts the demo organisation unless a region already exists. Returns whether it seeded. */
export async function seedDemo(db: Db, now = new Date().toISOString()): Promise<boolean> {
  if (await db.selectFrom('regions').select('id').executeTakeFirst()) return false;
  const hashes = await Promise.all(Array.from({ length: demoOffices.length * people.length + 1 }, () => hashPassword(demoPassword)));
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('regions').values({ id: 'region-demo', name: 'Pemerintah Kabupaten Contoh' }).execute();
    await trx.insertInto('users').values({
      id: 'user-superadmin', office_id: null, position_id: null, username: 'superadmin', full_name: 'Super Admin Kabupaten', nip: null,
      role: 'super_admin', password_hash: hashes.pop()!, password_changed_at: now, active: 1, created_at: now,
    }).execute();
    for (const office of demoOffices) {
      await trx.insertInto('offices').values({ id: office.id, region_id: 'region-demo', code: office.code, name: office.name }).execute();
      const headUnit = `unit-${office.code}-pimpinan`;
      const generalUnit = `unit-${office.code}-umum`;
      await trx.insertInto('units').values([
        { id: headUnit, office_id: office.id, parent_unit_id: null, name: 'Pimpinan' },
        { id: generalUnit, office_id: office.id, parent_unit_id: headUnit, name: 'Subbagian Umum dan Kepegawaian' },
      ]).execute();
      for (const person of people) {
        const positionId = `position-${office.code}-${person.prefix}`;
        await trx.insertInto('positions').values({
          id: positionId, unit_id: person.unit === 'head' ? headUnit : generalUnit,
          title: person.isHead ? `${person.title} ${office.name}` : person.title, is_head: person.isHead ? 1 : 0,
        }).execute();
        await trx.insertInto('users').values({
          id: `user-${person.prefix}-${office.code}`, office_id: office.id, position_id: positionId, username: demoUsername(person.prefix, office.code),
          full_name: person.name, nip: null, role: person.role, password_hash: hashes.pop()!, password_changed_at: now, active: 1, created_at: now,
        }).execute();
      }
    }
  });
  return true;
}
