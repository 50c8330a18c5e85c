import { pickedSql, targetQueue, type BulkTarget } from "./bulkTarget.ts";
import { actorOf, EVENT_COLUMNS, JOBS_CHANNEL, type Queryable } from "./queryable.ts";

/** The states a requeue moves jobs from: every one but IN_PROGRESS, whose worker holds the job. */
export const REQUEUEABLE_STATES = ["PENDING", "FAILED", "SUCCEEDED"] as const;

/**
 * An operator's requeue: up to `limit` jobs of the target that are not
 * claimed go (back) to PENDING, due at `runAfter`, with `attempts` attempts
 * allowed and remaining (null: their own allowance, in full), each with its
 * `requeued` event from the state it was in. Wakes the queue's consumers
 * when the jobs are due now. Returns the ids it moved.
 */
export async function requeueJobs(
  db: Queryable,
  target: BulkTarget,
  args: { limit: number; runAfter: Date; attempts: number | null; now: Date; by: string },
): Promise<string[]> {
  const params: unknown[] = [targetQueue(target), args.now, args.runAfter, args.attempts, args.by];
  const picked = pickedSql(target, REQUEUEABLE_STATES, args.limit, params);
  const r = await db.query<{ id: string }>(
    `WITH ${picked}, moved AS (
       UPDATE queue_job j SET
         state = 'PENDING', run_after = $3::timestamptz,
         attempts_allowed = coalesce($4::int, j.attempts_allowed), attempts_remaining = coalesce($4::int, j.attempts_allowed),
         finished_at = NULL, expires_at = NULL, updated_at = $2
       FROM picked WHERE j.id = picked.id
       RETURNING j.id, picked.state AS was, j.attempts_allowed
     ), ev AS (
       INSERT INTO event_log (${EVENT_COLUMNS})
       SELECT $2, q.project, 'queue_job', moved.id::text, 'requeued', moved.was::text, 'PENDING',
              'due ' || to_char($3::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || ', '
                || moved.attempts_allowed || ' attempts allowed',
              ${actorOf("$5::text")}, jsonb_build_object('runAfter', $3::timestamptz, 'attemptsAllowed', moved.attempts_allowed)
         FROM moved, queue q WHERE q.name = $1
     ), woken AS (
       SELECT pg_notify('${JOBS_CHANNEL}', $1) WHERE $3::timestamptz <= $2::timestamptz AND EXISTS (SELECT 1 FROM moved)
     )
     SELECT moved.id::text AS id, (SELECT count(*) FROM woken) AS woke FROM moved`,
    params,
  );
  return r.rows.map((row) => row.id);
}
