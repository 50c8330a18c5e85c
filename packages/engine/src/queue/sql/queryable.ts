import type { Sql } from "@hourglass/db";

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

/** Builds one history entry (see hg_history_push in the first migration). */
export const historyEntry = (at: string, state: string, by: string, note: string) =>
  `jsonb_build_object('at', ${at}, 'state', ${state}, 'by', ${by}, 'note', ${note})`;

/** History update for a job leaving IN_PROGRESS: its claim's entry, then `entry`. */
export const closeClaim = (entry: string) =>
  `hg_history_append(j.history, jsonb_build_array(hg_claim_entry(j.claimed_at, j.claim_descriptor, j.claim_count), ${entry}))`;

/** The channel enqueue and retry notify on; the payload is the queue name. */
export const JOBS_CHANNEL = "hourglass_jobs";
/** The channel enqueue notifies on when jobs are due later; the payload is "<epoch ms of the earliest>:<queue name>". */
export const JOBS_DUE_CHANNEL = "hourglass_jobs_due";

/**
 * The SET list of a release: a claim handed back to PENDING with its attempt
 * returned (not the job's fault), no lease, and a history entry saying why.
 */
export const releaseAssignments = (nowParam: string, byParam: string, note: string) => `
  state = 'PENDING',
  attempts_remaining = least(j.attempts_remaining + 1, j.attempts_allowed),
  expires_at = NULL,
  updated_at = ${nowParam},
  history = ${closeClaim(historyEntry(`${nowParam}::timestamptz`, "'PENDING'", `${byParam}::text`, note))}`;
