import type { Sql } from "@hourglass/db";

/**
 * Deletes up to $3 events older than $2 — of project $1, or (when $1 is null)
 * of every project not in $4 (those keep their own retention). Bounded, so
 * maintenance never holds a long transaction; run until it returns < $3.
 */
const SQL = `
DELETE FROM event_log e
 USING (SELECT tx, id FROM event_log
         WHERE at < $2 AND ($1::text IS NULL AND project <> ALL($4::text[]) OR project = $1)
         LIMIT $3) old
 WHERE e.tx = old.tx AND e.id = old.id`;

export async function deleteOldEvents(db: Sql, project: string | null, before: Date, limit: number, others: string[] = []) {
  const r = await db.query(SQL, [project, before, limit, others]);
  return r.rowCount ?? 0;
}
