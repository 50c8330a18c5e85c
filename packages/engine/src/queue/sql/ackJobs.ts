import { closeClaim, historyEntry, type Queryable } from "./queryable.ts";

const NEXT_STATE = `(CASE WHEN a.succeeded THEN 'SUCCEEDED' WHEN j.attempts_remaining > 0 THEN 'PENDING' ELSE 'FAILED' END)`;

/**
 * Acks a batch of IN_PROGRESS jobs of one queue. Guarded: a job that is no
 * longer IN_PROGRESS, or (when the ack names a claim) whose claim changed, is
 * left alone and missing from the result. A failed job with attempts left
 * goes back to PENDING at now + retryDelay; otherwise it is final and
 * expires_at becomes its GC time. A success writes no history: SUCCEEDED is
 * final, and its claim and ack entries are derived from claimed_at,
 * claim_descriptor and finished_at when read (the hot path stays jsonb-free).
 */
const SQL = `
UPDATE queue_job j SET
  state = ${NEXT_STATE}::"QueueJobState",
  run_after = CASE WHEN NOT a.succeeded AND j.attempts_remaining > 0
                   THEN $2::timestamptz + a.retry_delay_ms * interval '1 millisecond' ELSE j.run_after END,
  custom_status = CASE WHEN a.append_status = '' THEN j.custom_status
                       ELSE right(j.custom_status || a.append_status, 4000) END,
  finished_at = CASE WHEN a.succeeded OR j.attempts_remaining = 0 THEN $2::timestamptz END,
  expires_at = CASE WHEN a.succeeded THEN $2::timestamptz + q.succeeded_retention_millis * interval '1 millisecond'
                    WHEN j.attempts_remaining = 0 THEN $2::timestamptz + q.failed_retention_millis * interval '1 millisecond' END,
  updated_at = $2,
  history = CASE WHEN a.succeeded THEN j.history ELSE ${closeClaim(historyEntry("$2::timestamptz", NEXT_STATE, "$3::text",
    "CASE WHEN a.succeeded THEN 'acked succeeded' ELSE 'acked failed' END || CASE WHEN a.append_status = '' THEN '' ELSE ': ' || a.append_status END"))} END
FROM unnest($4::bigint[], $5::bool[], $6::text[], $7::bigint[], $8::text[])
       AS a(id, succeeded, append_status, retry_delay_ms, claim_descriptor),
     queue q
WHERE j.id = ANY($4::bigint[]) AND j.id = a.id AND j.queue_name = $1 AND q.name = $1 AND j.state = 'IN_PROGRESS'
  AND (a.claim_descriptor IS NULL OR j.claim_descriptor = a.claim_descriptor)
RETURNING j.id::text AS id, j.state, j.run_after`;

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
