import { actorOf, claimPayload, EVENT_COLUMNS, type Queryable } from "./queryable.ts";

const NEXT_STATE = `(CASE WHEN a.succeeded THEN 'SUCCEEDED' WHEN j.attempts_remaining > 0 THEN 'PENDING' ELSE 'FAILED' END)`;

/**
 * Acks a batch of IN_PROGRESS jobs of one queue. Guarded: a job that is no
 * longer IN_PROGRESS, or (when the ack names a claim) whose claim changed, is
 * left alone and missing from the result. A failed job with attempts left
 * goes back to PENDING at now + retryDelay; otherwise it is final and
 * expires_at becomes its GC time. Each job's `acked` event is appended by
 * the same statement; it carries the claim it ends.
 */
const SQL = `
WITH acked AS (
UPDATE queue_job j SET
  state = ${NEXT_STATE}::"QueueJobState",
  run_after = CASE WHEN NOT a.succeeded AND j.attempts_remaining > 0
                   THEN $2::timestamptz + a.retry_delay_ms * interval '1 millisecond' ELSE j.run_after END,
  custom_status = CASE WHEN a.append_status = '' THEN j.custom_status
                       ELSE right(j.custom_status || a.append_status, 4000) END,
  finished_at = CASE WHEN a.succeeded OR j.attempts_remaining = 0 THEN $2::timestamptz END,
  expires_at = CASE WHEN a.succeeded THEN $2::timestamptz + q.succeeded_retention_millis * interval '1 millisecond'
                    WHEN j.attempts_remaining = 0 THEN $2::timestamptz + q.failed_retention_millis * interval '1 millisecond' END,
  updated_at = $2
FROM unnest($4::bigint[], $5::bool[], $6::text[], $7::bigint[], $8::text[])
       AS a(id, succeeded, append_status, retry_delay_ms, claim_descriptor),
     queue q
WHERE j.id = ANY($4::bigint[]) AND j.id = a.id AND j.queue_name = $1 AND q.name = $1 AND j.state = 'IN_PROGRESS'
  AND (a.claim_descriptor IS NULL OR j.claim_descriptor = a.claim_descriptor)
RETURNING j.id, j.state, j.run_after, q.project, j.claim_descriptor, j.claimed_at, a.succeeded, a.append_status
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $2, project, 'queue_job', id::text, 'acked', 'IN_PROGRESS', state::text,
         CASE WHEN succeeded THEN '' WHEN append_status = '' THEN 'failed' ELSE 'failed: ' || append_status END,
         ${actorOf("$3::text")}, ${claimPayload("acked")}
    FROM acked
)
SELECT id::text AS id, state, run_after FROM acked`;

export interface Ack {
  id: string;
  succeeded: boolean;
  appendCustomStatus: string;
  retryDelayMillis: number;
  claimDescriptor: string | null;
}

export async function ackJobs(db: Queryable, queueName: string, acks: Ack[], now: Date, by: string) {
  const r = await db.query<{ id: string; state: string; run_after: Date }>(SQL, [
    queueName,
    now,
    by,
    acks.map((a) => a.id),
    acks.map((a) => a.succeeded),
    acks.map((a) => a.appendCustomStatus),
    acks.map((a) => a.retryDelayMillis),
    acks.map((a) => a.claimDescriptor),
  ]);
  return r.rows;
}
