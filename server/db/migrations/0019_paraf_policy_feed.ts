// The office's paraf policy travels in the change feed from now on ('paraf_policy', one row per office),
// so every desk shows the office's choice, not only the desk that made it. Offices that chose before
// get their row here, at the end of the feed, so desks that pulled long ago receive it too.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema as it was then, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  const chosen = await db.selectFrom('paraf_policies').select(['office_id', 'restart', 'set_by', 'set_at']).orderBy('office_id').execute() as
    { office_id: string; restart: string; set_by: string; set_at: string }[];
  const at = new Date().toISOString();
  for (const p of chosen) {
    await db.insertInto('changes').values({
      office_id: p.office_id, user_id: null, entity: 'paraf_policy', entity_id: p.office_id, op: 'upsert',
      data: JSON.stringify({ restart: p.restart, updatedAt: p.set_at, updatedBy: p.set_by }), created_at: at,
    }).execute();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('changes').where('entity', '=', 'paraf_policy').execute();
}
