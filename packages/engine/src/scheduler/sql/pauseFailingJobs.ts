import type { Sql } from "@hourglass/db";
import { EVENT_COLUMNS, SCHEDULER_ACTOR } from "./events.ts";

/**
 * ACTIVE → PAUSED by the scheduler itself: a job whose last invocations failed
 * as often in a row as its `pause_after_failures` says (decided by
 * pause-on-failure.ts). Like an operator's pause (sql/pauseJob.ts) it stops
 * the ticks and asks for triage, which discards pending triggers. Guarded (not
 * paused yet), with a `paused` event whose actor is system:scheduler and whose
 * payload names the failed invocations. The job rows must be locked by the
 * transaction that ended the invocations.
 */
const SQL = `
WITH moved AS (
  UPDATE scheduler_job j SET paused_at = $1, paused_by = $2, pause_reason = u.reason, next_tick_at = NULL,
         tick_timer_id = NULL, triage_requested_at = $1, updated_at = $1
    FROM jsonb_to_recordset($3::jsonb) AS u(key text, reason text, invocations text[])
   WHERE j.key = u.key AND j.paused_at IS NULL
  RETURNING j.key, j.project_id, u.reason, u.invocations
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $1, project_id, 'scheduler_job', key, 'paused', 'ACTIVE', 'PAUSED', reason, $2,
         jsonb_build_object('failedInvocations', to_jsonb(invocations))
    FROM moved
)
SELECT key FROM moved`;

/** Pauses the jobs not paused yet; returns the keys it paused. */
export async function pauseFailingJobs(
  sql: Sql, now: Date, jobs: { key: string; reason: string; invocations: string[] }[],
): Promise<string[]> {
  if (jobs.length === 0) return [];
  return (await sql.query<{ key: string }>(SQL, [now, SCHEDULER_ACTOR, JSON.stringify(jobs)])).rows.map((r) => r.key);
}
