import type { Sql } from "@hourglass/db";

/** A ticked job's new cron state, and what its tick left for triage. */
export interface TickedJob {
  key: string;
  next: Date | null;
  last: Date | null;
  /** The triage log of a quiet job whose tick timer started its invocation (it triaged itself); null otherwise. */
  log: string | null;
  /** The tick recorded a pending trigger: the job needs triage. */
  triage: boolean;
}

/**
 * Moves ticked jobs' cron state (next tick, newest slot fired; the timer is
 * used up) and, in the same update on the hot path, stores the triage log of
 * each job whose tick timer triaged it (decided by triage-decision.ts) or asks
 * for triage. The job rows must be locked by the transaction that ticked them.
 */
const SQL = `
UPDATE scheduler_job j SET next_tick_at = u.next, last_slot_at = u.last, tick_timer_id = NULL, updated_at = $1,
       triage_log = coalesce(u.log, j.triage_log),
       last_triage_at = CASE WHEN u.log IS NULL THEN j.last_triage_at ELSE $1 END,
       triage_requested_at = CASE WHEN u.triage THEN $1 ELSE j.triage_requested_at END
  FROM jsonb_to_recordset($2::jsonb) AS u(key text, next timestamptz, last timestamptz, log text, triage bool)
 WHERE j.key = u.key`;

export async function advanceTickedJobs(sql: Sql, now: Date, jobs: TickedJob[]): Promise<void> {
  if (jobs.length === 0) return;
  // one JSON document rather than parallel arrays: JSON.stringify is far cheaper than pg's array-literal escaping
  await sql.query(SQL, [now, JSON.stringify(jobs)]);
}
