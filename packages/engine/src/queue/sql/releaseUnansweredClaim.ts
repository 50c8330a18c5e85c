import { releaseAssignments, releaseEvents, type Queryable } from "./queryable.ts";

/**
 * Hands back the jobs of a claim whose answer never reached the claimer: the
 * connection died while the claim statement ran, so it may or may not have
 * committed, and if it did nobody holds those jobs. They are found by what the
 * claimer knows of its own claim: the queue, the claim time it passed in (the
 * statement stamps claimed_at with it) and its name in the claim descriptor
 * ("<n>@<claimer>"). Without this they would wait for their lease to lapse
 * (the queue's claim timeout, 5 minutes by default). Like a release, the
 * attempt is given back.
 */
const SQL = `
WITH moved AS (
UPDATE queue_job j SET ${releaseAssignments("$3")}
FROM queue q
WHERE j.queue_name = $1 AND j.state = 'IN_PROGRESS' AND j.claimed_at = $2
  AND j.claim_descriptor = j.claim_count::text || '@' || $4 AND q.name = $1
RETURNING j.id, q.project, j.claim_descriptor, j.claimed_at
), ev AS (${releaseEvents("$3", "$4", "'claim lost with its connection'")})
SELECT id::text AS id FROM moved`;

export async function releaseUnansweredClaim(db: Queryable, queueName: string, claimedAt: Date, now: Date, by: string) {
  const r = await db.query<{ id: string }>(SQL, [queueName, claimedAt, now, by]);
  return r.rows.length;
}
