import { claimPayload, EVENT_COLUMNS, type Queryable } from "./queryable.ts";

const NEXT_STATE = `(CASE WHEN j.attempts_remaining > 0 THEN 'PENDING' ELSE 'FAILED' END)`;

/**
 * PinLater's lease-timeout resurrection, one bounded batch: IN_PROGRESS jobs
 * whose lease lapsed go back to PENDING (the attempt stays used) or to FAILED
 * when none is left. SKIP LOCKED makes concurrent resurrectors safe.
 */
const SQL = `
WITH expired AS (
  SELECT id FROM queue_job
   WHERE state = 'IN_PROGRESS' AND expires_at < $1
   LIMIT $2
   FOR UPDATE SKIP LOCKED
),
moved AS (
UPDATE queue_job j SET
  state = ${NEXT_STATE}::"QueueJobState",
  run_after = CASE WHEN j.attempts_remaining > 0 THEN $1 ELSE j.run_after END,
  finished_at = CASE WHEN j.attempts_remaining = 0 THEN $1::timestamptz END,
  expires_at = CASE WHEN j.attempts_remaining = 0 THEN $1::timestamptz + q.failed_retention_millis * interval '1 millisecond' END,
  updated_at = $1
FROM expired, queue q
WHERE j.id = expired.id AND q.name = j.queue_name
RETURNING j.id, j.queue_name, j.state, q.project, j.claim_descriptor, j.claimed_at
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $1, project, 'queue_job', id::text, 'expired', 'IN_PROGRESS', state::text,
         'claim ' || coalesce(claim_descriptor, '') || ' expired', 'system:resurrector', ${claimPayload("moved")}
    FROM moved
)
SELECT queue_name, state FROM moved`;

export async function resurrectExpiredJobs(db: Queryable, now: Date, limit: number) {
  const r = await db.query<{ queue_name: string; state: string }>(SQL, [now, limit], "hg_resurrect_expired_jobs");
  return r.rows;
}
