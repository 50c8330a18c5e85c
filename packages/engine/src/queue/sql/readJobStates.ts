import type { Queryable } from "./queryable.ts";

/** The current state of each of these jobs of a queue that still exists (to say why a bulk action skipped it). */
export async function readJobStates(db: Queryable, queueName: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const r = await db.query<{ id: string; state: string }>(
    `SELECT id::text AS id, state::text AS state FROM queue_job WHERE id = ANY($1::bigint[]) AND queue_name = $2`,
    [ids, queueName]);
  return new Map(r.rows.map((row) => [row.id, row.state]));
}
