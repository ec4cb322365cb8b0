// The region the server-load bench signs its desks into: many offices of eight desks each, every desk
// a person holding a position of the office (two front-office operators, the head, the secretary,
// three heads of division and a member of staff under the first). Desks fill offices one after the
// other, so N desks are ceil(N / 8) whole offices. Written straight into the server's database before
// the server starts (as the demo seed is); everything after that goes through the HTTP API.
import type { Insertable } from 'kysely';
import type { Db } from '../../server/db/database.ts';
import type { Database, Role } from '../../server/db/schema.ts';
import type { PositionLevel } from '../../common/protocol/org.ts';
import { randomBytes, scryptSync } from 'node:crypto';
import { hashPassword } from '../../common/passwords.ts';
import { insertRows } from '../../server/db/insert-rows.ts';

export const benchPassword = 'Beban-Server-2026';
export const desksPerOffice = 8;

export type DeskKey = 'operator-1' | 'operator-2' | 'kepala' | 'sekretaris' | 'kabid-1' | 'kabid-2' | 'kabid-3' | 'staf';

interface DeskPosition { key: DeskKey; role: Role; level: PositionLevel; parent: DeskKey | null; title: string }

/** One office's desks, parents before children; index i of an office is desk i % 8. */
export const officeDesks: readonly DeskPosition[] = [
  { key: 'operator-1', role: 'operator_utama', level: 'pelaksana', parent: 'sekretaris', title: 'Pengadministrasi Umum' },
  { key: 'operator-2', role: 'operator_utama', level: 'pelaksana', parent: 'sekretaris', title: 'Pengadministrasi Umum' },
  { key: 'kepala', role: 'signer', level: 'kepala', parent: null, title: 'Kepala Dinas' },
  { key: 'sekretaris', role: 'verifier', level: 'sekretaris', parent: 'kepala', title: 'Sekretaris Dinas' },
  { key: 'kabid-1', role: 'verifier', level: 'kepala_bidang', parent: 'kepala', title: 'Kepala Bidang Pelayanan' },
  { key: 'kabid-2', role: 'verifier', level: 'kepala_bidang', parent: 'kepala', title: 'Kepala Bidang Perencanaan' },
  { key: 'kabid-3', role: 'verifier', level: 'kepala_bidang', parent: 'kepala', title: 'Kepala Bidang Pengawasan' },
  { key: 'staf', role: 'staff', level: 'pelaksana', parent: 'kabid-1', title: 'Staf Pelaksana' },
];
// The parents come first in the list above, so positions insert in order (foreign keys).
const insertOrder: readonly DeskKey[] = ['kepala', 'sekretaris', 'kabid-1', 'kabid-2', 'kabid-3', 'operator-1', 'operator-2', 'staf'];

export const officeCode = (office: number) => `opd${String(office + 1).padStart(4, '0')}`;
export const positionId = (office: number, key: DeskKey) => `pos-${officeCode(office)}-${key}`;

export interface Desk { index: number; office: number; officeId: string; key: DeskKey; role: Role; username: string; positionId: string }

export function deskAt(index: number): Desk {
  const office = Math.floor(index / desksPerOffice);
  const p = officeDesks[index % desksPerOffice]!;
  return { index, office, officeId: `office-${officeCode(office)}`, key: p.key, role: p.role, username: `${p.key}.${officeCode(office)}`, positionId: positionId(office, p.key) };
}

/**
 * The password hash the bench's people get. A hash carries its own scrypt parameters, so the bench
 * may store a cheap one (N = 2^10) to sign 2 000 desks in within seconds instead of minutes; the
 * production cost of a sign-in is timed on its own (run.ts prints it). `realCost` stores the real one.
 */
async function benchHash(realCost: boolean): Promise<string> {
  if (realCost) return hashPassword(benchPassword);
  const salt = randomBytes(16);
  const key = scryptSync(benchPassword.normalize('NFKC'), salt, 32, { N: 1024, r: 8, p: 1 });
  return ['scrypt', 1024, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Writes `offices` offices with their people into an empty, migrated database. */
export async function seedOrganisation(db: Db, offices: number, options: { realPasswordCost: boolean }, now = new Date().toISOString()): Promise<void> {
  const hash = await benchHash(options.realPasswordCost);
  const rows = {
    offices: [] as Insertable<Database['offices']>[], units: [] as Insertable<Database['units']>[], positions: [] as Insertable<Database['positions']>[],
    users: [] as Insertable<Database['users']>[], holdings: [] as Insertable<Database['position_holdings']>[],
  };
  for (let o = 0; o < offices; o++) {
    const code = officeCode(o);
    const officeId = `office-${code}`;
    const unitId = `unit-${code}`;
    rows.offices.push({ id: officeId, region_id: 'region-bench', code, name: `Perangkat Daerah ${o + 1}` });
    rows.units.push({ id: unitId, office_id: officeId, parent_unit_id: null, name: 'Sekretariat' });
    for (const key of insertOrder) {
      const p = officeDesks.find((d) => d.key === key)!;
      const userId = `user-${code}-${key}`;
      rows.positions.push({ id: positionId(o, key), unit_id: unitId, office_id: officeId, parent_position_id: p.parent ? positionId(o, p.parent) : null,
        title: p.title, level: p.level, is_head: key === 'kepala' ? 1 : 0, sort_order: officeDesks.indexOf(p), active: 1 });
      rows.users.push({ id: userId, office_id: officeId, position_id: null, username: `${key}.${code}`, full_name: `Pegawai ${key} ${code}`, nip: null,
        role: p.role, password_hash: hash, password_changed_at: now, active: 1, created_at: now });
      rows.holdings.push({ id: `holding-${userId}`, position_id: positionId(o, key), user_id: userId, capacity: 'definitive', starts_at: '2020-01-02T00:00:00.000Z', ends_at: null });
    }
  }
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('regions').values({ id: 'region-bench', name: 'Pemerintah Kabupaten Beban' }).execute();
    await insertRows(trx, 'offices', rows.offices);
    await insertRows(trx, 'units', rows.units);
    await insertRows(trx, 'positions', rows.positions);
    await insertRows(trx, 'users', rows.users);
    await insertRows(trx, 'position_holdings', rows.holdings);
  });
}
