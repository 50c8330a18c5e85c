import { actorOf, EVENT_COLUMNS, type Queryable } from "./queryable.ts";

/**
 * Claims up to $3 due PENDING jobs of one queue in priority order, then
 * runAfter: each becomes IN_PROGRESS with one attempt used and a lease of the
 * queue's claim timeout. SKIP LOCKED lets concurrent claimers take disjoint sets.
 * A paused queue (rate limit 0) yields nothing, whatever the claimer believes:
 * workers cache queue settings, and a pause must hold from the moment it commits.
 * A claim is the hot path's commonest transition, so its event is compact:
 * one `claimed` event of the queue per statement, listing the jobs, rather
 * than one per job. A job's history shows its claims from the events that
 * end them (they carry the claim), and the current one from its columns.
 */
const SQL = `
WITH q AS (SELECT claim_timeout_millis, project FROM queue WHERE name = $1 AND dequeue_rate_limit IS DISTINCT FROM 0),
picked AS (
  SELECT id FROM queue_job
   WHERE EXISTS (SELECT 1 FROM q) AND queue_name = $1 AND state = 'PENDING' AND run_after <= $5
   ORDER BY priority, run_after, id
   LIMIT $3
   FOR UPDATE SKIP LOCKED
),
claimed AS (
UPDATE queue_job j SET
  state = 'IN_PROGRESS',
  attempts_remaining = greatest(j.attempts_remaining - 1, 0),
  claim_count = j.claim_count + 1,
  claim_descriptor = (j.claim_count + 1)::text || '@' || $4,
  claimed_at = $2,
  expires_at = $2::timestamptz + q.claim_timeout_millis * interval '1 millisecond',
  updated_at = $2
FROM picked, q
WHERE j.id = picked.id
RETURNING j.id, j.body, j.priority, j.attempts_allowed, j.attempts_remaining, j.claim_descriptor,
          j.claim_count, j.run_after
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $2, q.project, 'queue', $1, 'claimed', 'PENDING', 'IN_PROGRESS', '', ${actorOf("$4::text")},
         jsonb_build_object('jobs', array_agg(claimed.id::text ORDER BY claimed.id))
    FROM claimed, q GROUP BY q.project
)
SELECT id::text AS id, body, priority, attempts_allowed, attempts_remaining, claim_descriptor, claim_count, run_after
  FROM claimed`;

/** The same selection without claiming (PinLater's dryRun); `queue_job.id`, not the text alias, orders it. */
const DRY_RUN_SQL = `
SELECT id::text AS id, body, priority, attempts_allowed, attempts_remaining, claim_descriptor, claim_count, run_after
  FROM queue_job
 WHERE queue_name = $1 AND state = 'PENDING' AND run_after <= $2
 ORDER BY priority, run_after, queue_job.id
 LIMIT $3`;

export interface ClaimedJob {
  id: string;
  body: string;
  priority: number;
  attempts_allowed: number;
  attempts_remaining: number;
  claim_descriptor: string | null;
  claim_count: number;
  run_after: Date;
}

/**
 * `dueBy` (default: now) lets a worker claim jobs shortly before they fall
 * due and hold them until then (see QueueWorkerOptions.claimAheadMs).
 */
export async function claimJobs(db: Queryable, queueName: string, limit: number, now: Date, by: string, dryRun = false, dueBy = now): Promise<ClaimedJob[]> {
  const r = dryRun
    ? await db.query<ClaimedJob>(DRY_RUN_SQL, [queueName, now, limit], "hg_peek_jobs")
    : await db.query<ClaimedJob>(SQL, [queueName, now, limit, by, dueBy], "hg_claim_jobs");
  // RETURNING has no order; callers get PinLater's dequeue order.
  return r.rows.sort(
    (a, b) => a.priority - b.priority || a.run_after.getTime() - b.run_after.getTime() || Number(BigInt(a.id) - BigInt(b.id)),
  );
}
