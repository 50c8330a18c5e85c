import { releaseAssignments, releaseEvents, type Queryable } from "./queryable.ts";

/**
 * Hands claimed jobs back to PENDING without counting the attempt: a worker
 * that shuts down before (or while) running them is not the job's fault.
 * Guarded by the claim so a lease that already lapsed is not touched. The
 * due time stays: a job claimed ahead of it is not made due by its release.
 */
const SQL = `
WITH moved AS (
UPDATE queue_job j SET ${releaseAssignments("$1")}
FROM unnest($3::bigint[], $4::text[]) AS r(id, claim_descriptor), queue q
WHERE j.id = ANY($3::bigint[]) AND j.id = r.id AND j.state = 'IN_PROGRESS' AND j.claim_descriptor = r.claim_descriptor
  AND q.name = j.queue_name
RETURNING j.id, j.queue_name, q.project, j.claim_descriptor, j.claimed_at
), ev AS (${releaseEvents("$1", "$2", "'released unfinished'")})
SELECT id::text AS id, queue_name FROM moved`;

export async function releaseJobs(db: Queryable, jobs: { id: string; claimDescriptor: string }[], now: Date, by: string) {
  if (jobs.length === 0) return [];
  const r = await db.query<{ id: string; queue_name: string }>(SQL, [now, by, jobs.map((j) => j.id), jobs.map((j) => j.claimDescriptor)]);
  return r.rows;
}
