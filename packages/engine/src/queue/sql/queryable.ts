import type { Sql } from "@hourglass/db";
import { EVENT_COLUMNS } from "../../events/sql/columns.ts";

export { EVENT_COLUMNS };

/**
 * Where hand-written SQL runs. Hot-path statements pass a name so they are
 * prepared once per connection (planning a CTE costs more than running it).
 * Statements that act on a batch of job ids (ack, checkpoint, release) are
 * not named: after five runs PostgreSQL may switch a prepared statement to a
 * generic plan, which trusts statistics that say IN_PROGRESS jobs are rare
 * and scans them all (an ack of 500 jobs took 180 ms with 10,000 claimed,
 * instead of 6 ms). Their WHERE also names the ids as `id = ANY(...)`, so the
 * primary key is the obvious way in.
 */
export type Queryable = Sql;

/** The actor recorded for `by`: a caller's id as it is ("user:…"), a worker's name as "worker:<name>". */
export const actorOf = (by: string) => `(CASE WHEN strpos(${by}, ':') > 0 THEN ${by} ELSE 'worker:' || ${by} END)`;

/** A job's last claim, as its events carry it: the history shows the claim beside the transition that ended it. */
export const claimPayload = (j: string) =>
  `jsonb_build_object('claim', ${j}.claim_descriptor, 'claimedAt', ${j}.claimed_at)`;

/** The channel enqueue and retry notify on; the payload is the queue name. */
export const JOBS_CHANNEL = "hourglass_jobs";
/** The channel enqueue notifies on when jobs are due later; the payload is "<epoch ms of the earliest>:<queue name>". */
export const JOBS_DUE_CHANNEL = "hourglass_jobs_due";

/**
 * The SET list of a release: a claim handed back to PENDING with its attempt
 * returned (not the job's fault) and no lease. Its event says why.
 */
export const releaseAssignments = (nowParam: string) => `
  state = 'PENDING',
  attempts_remaining = least(j.attempts_remaining + 1, j.attempts_allowed),
  expires_at = NULL,
  updated_at = ${nowParam}`;

/**
 * The event of a release, over `moved` (RETURNING id, project, claim_descriptor, claimed_at): IN_PROGRESS → PENDING.
 */
export const releaseEvents = (nowParam: string, byParam: string, reason: string) => `
INSERT INTO event_log (${EVENT_COLUMNS})
SELECT ${nowParam}::timestamptz, m.project, 'queue_job', m.id::text, 'released', 'IN_PROGRESS', 'PENDING', ${reason},
       ${actorOf(`${byParam}::text`)}, ${claimPayload("m")}
  FROM moved m`;
