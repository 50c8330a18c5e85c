import type { Sql } from "@hourglass/db";
import type { Cursor } from "../cursor.ts";
import { EVENT_SELECT, type EventRow } from "./columns.ts";
import { FOLLOW_HORIZON_SQL } from "./horizon.ts";

/**
 * Events after a cursor in (tx, id) order, only from transactions below the
 * follow horizon (older than every transaction of this database still
 * running; see horizon.ts), so a reader that
 * resumes from the last cursor it saw misses nothing and repeats nothing.
 * Optional filters narrow the catch-up of one stream; the live feed reads all.
 */
const SQL = `
SELECT ${EVENT_SELECT}
  FROM event_log
 WHERE (tx, id) > ($1::bigint, $2::bigint)
   AND tx < ${FOLLOW_HORIZON_SQL}
   AND ($4::text[] IS NULL OR project = ANY($4))
   AND ($5::text IS NULL OR entity_kind = $5)
   AND ($6::text IS NULL OR entity_id = $6)
 ORDER BY event_log.tx, event_log.id
 LIMIT $3`;

export interface FollowFilter {
  projects?: string[];
  entityKind?: string;
  entityId?: string;
}

export async function followEvents(db: Sql, after: Cursor, limit: number, filter: FollowFilter = {}): Promise<EventRow[]> {
  const r = await db.query<EventRow>(SQL, [
    after.tx.toString(),
    after.id.toString(),
    limit,
    filter.projects ?? null,
    filter.entityKind ?? null,
    filter.entityId ?? null,
  ]);
  return r.rows;
}

/** The cursor at the log's end now (a new stream that wants only what comes next starts here). */
export async function endCursor(db: Sql): Promise<Cursor> {
  const r = await db.query<{ tx: string | null; id: string | null }>(
    `SELECT tx::text, id::text FROM event_log
      WHERE tx < ${FOLLOW_HORIZON_SQL} ORDER BY tx DESC, id DESC LIMIT 1`,
  );
  const row = r.rows[0];
  return row?.tx && row.id ? { tx: BigInt(row.tx), id: BigInt(row.id) } : { tx: 0n, id: 0n };
}
