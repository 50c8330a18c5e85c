import { pickedSql, targetQueue, type BulkTarget } from "./bulkTarget.ts";
import { actorOf, EVENT_COLUMNS, JOBS_CHANNEL, type Queryable } from "./queryable.ts";

/**
 * PinLater's retryFailedJobs: up to `limit` FAILED jobs of the target (a
 * filter: priority, body regex; or a selection) go back to PENDING with
 * `attemptsToAllow` attempts, due at `runAfter`, each with its `retried`
 * event; wakes the queue's consumers when they are due now. Returns the
 * ids it moved.
 */
export async function retryFailedJobs(
  db: Queryable,
  target: BulkTarget,
  args: { limit: number; runAfter: Date; attemptsToAllow: number; now: Date; by: string },
): Promise<string[]> {
  const params: unknown[] = [targetQueue(target), args.now, args.runAfter, args.attemptsToAllow, args.by];
  const picked = pickedSql(target, ["FAILED"], args.limit, params);
  const r = await db.query<{ id: string }>(
    `WITH ${picked}, moved AS (
       UPDATE queue_job j SET
         state = 'PENDING', attempts_allowed = $4::int, attempts_remaining = $4::int, run_after = $3::timestamptz,
         finished_at = NULL, expires_at = NULL, updated_at = $2
       FROM picked WHERE j.id = picked.id
       RETURNING j.id
     ), ev AS (
       INSERT INTO event_log (${EVENT_COLUMNS})
       SELECT $2, q.project, 'queue_job', moved.id::text, 'retried', 'FAILED', 'PENDING', $4::int || ' attempts allowed',
              ${actorOf("$5::text")}, NULL
         FROM moved, queue q WHERE q.name = $1
     ), woken AS (
       SELECT pg_notify('${JOBS_CHANNEL}', $1) WHERE $3::timestamptz <= $2::timestamptz AND EXISTS (SELECT 1 FROM moved)
     )
     SELECT moved.id::text AS id, (SELECT count(*) FROM woken) AS woke FROM moved`,
    params,
  );
  return r.rows.map((row) => row.id);
}
