import { actorOf, claimPayload, EVENT_COLUMNS, type Queryable } from "./queryable.ts";

const CHANGES = `(c.move_to_pending OR c.new_body IS NOT NULL OR coalesce(c.prepend_status, '') <> '' OR c.attempts IS NOT NULL
  OR c.set_status IS NOT NULL)`;

/**
 * PinLater's checkpoint: extends the lease of IN_PROGRESS jobs (keep-alive)
 * and optionally replaces the body, resets the allowed attempts, prepends to
 * the custom status (or, Hourglass's, replaces it) or moves the job back to PENDING. Guarded like acks: a
 * checkpoint from a stale claim matches no row and is a no-op. A bare
 * keep-alive writes no event, so heartbeats do not flood the log.
 */
const SQL = `
WITH moved AS (
UPDATE queue_job j SET
  body = coalesce(c.new_body, j.body),
  state = (CASE WHEN c.move_to_pending THEN 'PENDING' ELSE 'IN_PROGRESS' END)::"QueueJobState",
  run_after = CASE WHEN c.move_to_pending THEN coalesce(c.run_after, $2) ELSE j.run_after END,
  attempts_allowed = coalesce(c.attempts, j.attempts_allowed),
  attempts_remaining = coalesce(c.attempts, j.attempts_remaining),
  custom_status = CASE WHEN c.set_status IS NOT NULL THEN left(c.set_status, 4000)
                       WHEN coalesce(c.prepend_status, '') = '' THEN j.custom_status
                       ELSE left(c.prepend_status || j.custom_status, 4000) END,
  expires_at = CASE WHEN c.move_to_pending THEN NULL ELSE $2::timestamptz + q.claim_timeout_millis * interval '1 millisecond' END,
  updated_at = $2
FROM unnest($4::bigint[], $5::text[], $6::bool[], $7::timestamptz[], $8::int[], $9::text[], $10::text[], $11::text[])
       AS c(id, new_body, move_to_pending, run_after, attempts, prepend_status, claim_descriptor, set_status),
     queue q
WHERE j.id = ANY($4::bigint[]) AND j.id = c.id AND j.queue_name = $1 AND q.name = $1 AND j.state = 'IN_PROGRESS'
  AND (c.claim_descriptor IS NULL OR j.claim_descriptor = c.claim_descriptor)
RETURNING j.id, j.state, j.run_after, q.project, j.claim_descriptor, j.claimed_at, ${CHANGES} AS changed
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $2, project, 'queue_job', id::text, 'checkpointed', 'IN_PROGRESS', state::text,
         CASE WHEN state = 'PENDING' THEN 'moved to pending' ELSE '' END, ${actorOf("$3::text")},
         CASE WHEN state = 'PENDING' THEN ${claimPayload("moved")} END
    FROM moved WHERE changed
)
SELECT id::text AS id, state, run_after FROM moved`;

export interface Checkpoint {
  id: string;
  newBody: string | null;
  moveToPending: boolean;
  runAfter: Date | null;
  numOfAttemptsAllowed: number | null;
  prependCustomStatus: string | null;
  claimDescriptor: string | null;
  /** Replaces the custom status (null: leave it, or prepend `prependCustomStatus`). */
  setCustomStatus?: string | null;
}

export async function checkpointJobs(db: Queryable, queueName: string, checkpoints: Checkpoint[], now: Date, by: string) {
  const col = <K extends keyof Checkpoint>(k: K) => checkpoints.map((c) => c[k]);
  const r = await db.query<{ id: string; state: string; run_after: Date }>(SQL, [
    queueName, now, by,
    col("id"), col("newBody"), col("moveToPending"), col("runAfter"), col("numOfAttemptsAllowed"),
    col("prependCustomStatus"), col("claimDescriptor"), checkpoints.map((c) => c.setCustomStatus ?? null),
  ]);
  return r.rows;
}
