import type { Sql } from "@hourglass/db";
import { EVENT_COLUMNS, eventPayload, notifyQueues, rankSql, runEntity } from "./common.ts";

/** Taskcluster's limit on a task's runs. */
export const MAX_RUNS = 50;

/**
 * rerunTask of a resolved task (machine.ts rerunEffect "new-run"): a new
 * pending run (reasonCreated rerun), its retries back, its group unresolved
 * again. Guarded on a resolved state, the deadline and the run limit; a
 * pending or running task is left alone (rerunTask is idempotent).
 */
const SQL = `
WITH t AS (
  UPDATE task SET state = 'pending', run_count = run_count + 1, retries_left = retries, updated_at = $2
   WHERE task_id = $1 AND state IN ('completed', 'failed', 'exception') AND deadline > $2 AND run_count < ${MAX_RUNS}
  RETURNING task_id, task_queue_id, task_group_id, project_id, priority, run_count
), runs AS (
  INSERT INTO task_run (task_id, run_id, task_queue_id, priority, state, reason_created, scheduled)
  SELECT task_id, run_count - 1, task_queue_id, ${rankSql("priority")}, 'pending', 'rerun', $2 FROM t
  RETURNING task_id, task_queue_id
), grp AS (
  UPDATE task_group g SET unresolved = g.unresolved + 1, resolved = NULL FROM t WHERE g.task_group_id = t.task_group_id
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $2, project_id, 'task_run', ${runEntity("task_id", "run_count - 1")}, 'pending', NULL, 'pending', 'rerun', $3,
         ${eventPayload("t")}
    FROM t
)
SELECT (SELECT count(*) FROM t)::int AS rerun, ${notifyQueues("runs")} AS notified`;

export async function rerunTask(sql: Sql, taskId: string, now: Date, actor: string): Promise<boolean> {
  const r = await sql.query<{ rerun: number }>(SQL, [taskId, now, actor]);
  return r.rows[0]!.rerun === 1;
}
