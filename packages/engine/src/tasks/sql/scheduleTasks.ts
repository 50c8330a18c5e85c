import type { Sql } from "@hourglass/db";
import { EVENT_COLUMNS, eventPayload, notifyQueues, rankSql, runEntity } from "./common.ts";

/**
 * scheduleTask (and rerunTask of a task never scheduled): unscheduled tasks
 * before their deadline get run 0, pending, whatever their dependencies say.
 * Guarded on `unscheduled`; others are left alone (scheduleTask is idempotent).
 */
const SQL = `
WITH t AS (
  UPDATE task SET state = 'pending', run_count = 1, updated_at = $2
   WHERE task_id = ANY($1::text[]) AND state = 'unscheduled' AND deadline > $2
  RETURNING task_id, task_queue_id, task_group_id, project_id, priority
), runs AS (
  INSERT INTO task_run (task_id, run_id, task_queue_id, priority, state, reason_created, scheduled)
  SELECT task_id, 0, task_queue_id, ${rankSql("priority")}, 'pending', 'scheduled', $2 FROM t
  RETURNING task_id, task_queue_id
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $2, project_id, 'task_run', ${runEntity("task_id", "0")}, 'pending', NULL, 'pending', 'scheduled', $3,
         ${eventPayload("t")}
    FROM t
)
SELECT (SELECT count(*) FROM t)::int AS scheduled, ${notifyQueues("runs")} AS notified`;

export async function scheduleTasks(sql: Sql, taskIds: string[], now: Date, actor: string): Promise<number> {
  const r = await sql.query<{ scheduled: number }>(SQL, [taskIds, now, actor]);
  return r.rows[0]!.scheduled;
}
