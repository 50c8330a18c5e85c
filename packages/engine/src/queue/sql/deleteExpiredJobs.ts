import { EVENT_COLUMNS, type Queryable } from "./queryable.ts";

/**
 * GC, one bounded batch: deletes SUCCEEDED / FAILED jobs whose retention
 * (expires_at) has passed. The (state, expires_at) index makes it a range scan.
 * Its event is compact: one `collected` event per queue and batch with the
 * count (the jobs' own events stay until the event log's retention).
 */
const SQL = `
WITH doomed AS (
  SELECT id FROM queue_job
   WHERE state IN ('SUCCEEDED', 'FAILED') AND expires_at < $1
   LIMIT $2
   FOR UPDATE SKIP LOCKED
), gone AS (
  DELETE FROM queue_job j USING doomed WHERE j.id = doomed.id RETURNING j.queue_name
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $1, q.project, 'queue', gone.queue_name, 'collected', NULL, NULL, '', 'system:gc',
         jsonb_build_object('count', count(*))
    FROM gone JOIN queue q ON q.name = gone.queue_name GROUP BY q.project, gone.queue_name
)
SELECT count(*)::int AS n FROM gone`;

export async function deleteExpiredJobs(db: Queryable, now: Date, limit: number): Promise<number> {
  const r = await db.query<{ n: number }>(SQL, [now, limit], "hg_delete_expired_jobs");
  return r.rows[0]?.n ?? 0;
}
