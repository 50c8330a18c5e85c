import type { Sql } from "@hourglass/db";
import { EVENT_SELECT, type EventRow } from "./columns.ts";

/**
 * The audit log's query: newest first, before event id $1, filtered. `projects`
 * is what the caller may see (null = every project). The entity index serves
 * an entity filter; otherwise the scan walks ids downwards and the BRIN index
 * on `at` bounds a time range.
 */
const SQL = `
SELECT ${EVENT_SELECT}
  FROM event_log
 WHERE ($1::bigint IS NULL OR id < $1)
   AND ($3::text[] IS NULL OR project = ANY($3))
   AND ($4::text IS NULL OR actor = $4)
   AND ($5::text IS NULL OR entity_kind = $5)
   AND ($6::text IS NULL OR entity_id = $6)
   AND ($7::text IS NULL OR action = $7)
   AND ($8::timestamptz IS NULL OR at >= $8)
   AND ($9::timestamptz IS NULL OR at < $9)
   AND ($10::bool IS NOT TRUE OR actor NOT LIKE 'worker:%' AND actor NOT LIKE 'system:%')
 ORDER BY event_log.id DESC
 LIMIT $2`;

export interface EventSearch {
  beforeId?: bigint;
  limit: number;
  projects: string[] | null;
  actor?: string;
  entityKind?: string;
  entityId?: string;
  action?: string;
  since?: Date;
  until?: Date;
  /** Only what people and programs did (not workers' and Hourglass's own transitions). */
  operatorOnly?: boolean;
}

export async function searchEvents(db: Sql, s: EventSearch): Promise<EventRow[]> {
  const r = await db.query<EventRow>(SQL, [
    s.beforeId?.toString() ?? null,
    s.limit,
    s.projects,
    s.actor ?? null,
    s.entityKind ?? null,
    s.entityId ?? null,
    s.action ?? null,
    s.since ?? null,
    s.until ?? null,
    s.operatorOnly ?? false,
  ]);
  return r.rows;
}
