import type { Sql } from "@hourglass/db";
import { EVENT_COLUMNS } from "./events.ts";

/**
 * ACTIVE → PAUSED: stops the job's ticks (its armed timer becomes stale) and
 * asks for triage, which discards its pending triggers. Guarded (not paused
 * yet), with a `paused` event naming who and why.
 */
const SQL = `
WITH moved AS (
  UPDATE scheduler_job SET paused_at = $2, paused_by = $3, pause_reason = $4, next_tick_at = NULL, tick_timer_id = NULL,
         triage_requested_at = $2, updated_at = $2
   WHERE key = $1 AND paused_at IS NULL
  RETURNING key, project_id
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $2, project_id, 'scheduler_job', key, 'paused', 'ACTIVE', 'PAUSED', $4, $3, NULL FROM moved
)
SELECT count(*)::int AS n FROM moved`;

/** Whether the job was paused by this call (false: it was paused already, or does not exist). */
export async function pauseJob(sql: Sql, now: Date, key: string, actor: string, reason: string): Promise<boolean> {
  return (await sql.query<{ n: number }>(SQL, [key, now, actor, reason])).rows[0]!.n > 0;
}
