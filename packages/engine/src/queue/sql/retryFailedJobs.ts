import { actorOf, EVENT_COLUMNS, JOBS_CHANNEL, type Queryable } from "./queryable.ts";

/**
 * PinLater's retryFailedJobs: up to $4 FAILED jobs (optionally of one
 * priority) go back to PENDING with `attemptsToAllow` attempts, due at $5.
 */
const SQL = `
WITH picked AS (
  SELECT id FROM queue_job
   WHERE queue_name = $1 AND state = 'FAILED' AND ($3::smallint IS NULL OR priority = $3)
   LIMIT $4
   FOR UPDATE SKIP LOCKED
), moved AS (
  UPDATE queue_job j SET
    state = 'PENDING', attempts_allowed = $6::int, attempts_remaining = $6::int, run_after = $5::timestamptz,
    finished_at = NULL, expires_at = NULL, updated_at = $2
  FROM picked WHERE j.id = picked.id
  RETURNING j.id
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $2, q.project, 'queue_job', moved.id::text, 'retried', 'FAILED', 'PENDING', $6::int || ' attempts allowed',
         ${actorOf("$7::text")}, NULL
    FROM moved, queue q WHERE q.name = $1
)
SELECT count(*)::int AS n,
       (SELECT count(pg_notify('${JOBS_CHANNEL}', $1)) WHERE $5::timestamptz <= $2::timestamptz AND EXISTS (SELECT 1 FROM moved))::int AS notified
  FROM moved`;

export async function retryFailedJobs(
  db: Queryable,
  args: { queueName: string; priority: number | null; limit: number; runAfter: Date; attemptsToAllow: number; now: Date; by: string },
): Promise<number> {
  const r = await db.query<{ n: number }>(SQL, [
    args.queueName, args.now, args.priority, args.limit, args.runAfter, args.attemptsToAllow, args.by,
  ]);
  return r.rows[0]!.n;
}
