import type { Sql } from "@hourglass/db";
import { EVENT_SELECT, type EventRow } from "./columns.ts";

/** One entity's events, oldest first, after event id $3 (a page of its history). */
const SQL = `
SELECT ${EVENT_SELECT}
  FROM event_log
 WHERE entity_kind = $1 AND entity_id = $2 AND id > $3::bigint
 ORDER BY event_log.id
 LIMIT $4`;

export async function entityEvents(db: Sql, kind: string, id: string, afterId: bigint, limit: number): Promise<EventRow[]> {
  return (await db.query<EventRow>(SQL, [kind, id, afterId.toString(), limit])).rows;
}

/** How many events an entity has (its history's length). */
export async function countEntityEvents(db: Sql, kind: string, id: string): Promise<number> {
  const r = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM event_log WHERE entity_kind = $1 AND entity_id = $2`,
    [kind, id],
  );
  return r.rows[0]?.n ?? 0;
}
