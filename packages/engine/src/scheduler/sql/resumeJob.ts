import type { Sql } from "@hourglass/db";
import { EVENT_COLUMNS } from "./events.ts";

/**
 * PAUSED → ACTIVE: re-arms the job's ticks at `nextTickAt` (unless it is
 * disabled or removed) and asks for triage. `resumed_at` starts a new count
 * for pause on failure. Guarded (paused), with a
 * `resumed` event naming who and why.
 */
const SQL = `
WITH moved AS (
  UPDATE scheduler_job SET paused_at = NULL, paused_by = NULL, pause_reason = NULL, updated_at = $2, resumed_at = $2,
         triage_requested_at = $2, tick_timer_id = NULL,
         next_tick_at = CASE WHEN removed_at IS NULL AND NOT (definition->>'disabled')::boolean THEN $3::timestamptz END
   WHERE key = $1 AND paused_at IS NOT NULL
  RETURNING key, project_id
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $2, project_id, 'scheduler_job', key, 'resumed', 'PAUSED', 'ACTIVE', $5, $4, NULL FROM moved
)
SELECT count(*)::int AS n FROM moved`;

/** Whether the job was resumed by this call (false: it was not paused, or does not exist). */
export async function resumeJob(
  sql: Sql, now: Date, key: string, nextTickAt: Date | null, actor: string, reason: string,
): Promise<boolean> {
  return (await sql.query<{ n: number }>(SQL, [key, now, nextTickAt, actor, reason])).rows[0]!.n > 0;
}
