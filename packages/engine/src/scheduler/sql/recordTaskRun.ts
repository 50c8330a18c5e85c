import type { Sql } from "@hourglass/db";
import { DEBUG_LOG_LIMIT } from "../host/debug-log.ts";
import type { TaskRun } from "../host/task-runs.ts";
import { EVENT_COLUMNS, projectOfSql } from "./events.ts";

/**
 * Records a run and its closing log lines on an invocation whatever its state,
 * with a `task_ended` event (no transition): for a task that ended after its
 * invocation did (aborted) or that will run again (worker shutdown). The event
 * is what tells a live invocation page to read the run. A run that ends its
 * invocation is recorded by the finishing statement instead (finishInvocations).
 */
const SQL = `
WITH recorded AS (
  UPDATE scheduler_invocation SET task_runs = task_runs || jsonb_build_array($2::jsonb),
         debug_log = right(debug_log || $3, ${DEBUG_LOG_LIMIT})
   WHERE id = $1
  RETURNING id, job_key, state
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $4, ${projectOfSql("job_key")}, 'invocation', id::text, 'task_ended', NULL, NULL, $5, $6,
         jsonb_build_object('job', job_key, 'outcome', $2::jsonb->>'outcome', 'state', state)
    FROM recorded
)
SELECT id::text AS id FROM recorded`;

export async function recordTaskRun(
  sql: Sql, now: Date, invocationId: string, run: TaskRun, log: string, reason: string, actor: string,
): Promise<void> {
  await sql.query(SQL, [invocationId, JSON.stringify(run), log, now, reason, actor]);
}
