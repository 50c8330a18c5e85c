import type { Queryable } from "./queryable.ts";

/**
 * GC, one bounded batch: deletes SUCCEEDED / FAILED jobs whose retention
 * (expires_at) has passed. The (state, expires_at) index makes it a range scan.
 */
const SQL = `
WITH doomed AS (
  SELECT id FROM queue_job
   WHERE state IN ('SUCCEEDED', 'FAILED') AND expires_at < $1
   LIMIT $2
   FOR UPDATE SKIP LOCKED
)
DELETE FROM queue_job j USING doomed WHERE j.id = doomed.id`;

export async function deleteExpiredJobs(db: Queryable, now: Date, limit: number): Promise<number> {
  const r = await db.query(SQL, [now, limit], "hg_delete_expired_jobs");
  return r.rowCount ?? 0;
}
