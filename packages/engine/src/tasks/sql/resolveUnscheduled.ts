import type { Sql } from "@hourglass/db";
import { EVENT_COLUMNS, eventPayload, rankSql, runEntity } from "./common.ts";

/**
 * Cancel or deadline of tasks that never got a run (machine.ts cancelEffect
 * "resolve-unscheduled"): each gets run 0 created already resolved
 * (reasonCreated exception, reasonResolved $2), as Taskcluster records it.
 * Guarded on `unscheduled`. Callers run resolveDependents.ts next.
 */
const SQL = `
WITH t AS (
  UPDATE task SET state = 'exception', run_count = 1, updated_at = $3
   WHERE task_id = ANY($1::text[]) AND state = 'unscheduled'
  RETURNING task_id, task_queue_id, task_group_id, project_id, priority
), runs AS (
  INSERT INTO task_run (task_id, run_id, task_queue_id, priority, state, reason_created, reason_resolved, scheduled,
                        resolved)
  SELECT task_id, 0, task_queue_id, ${rankSql("priority")}, 'exception', 'exception', $2, $3, $3 FROM t
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $3, project_id, 'task_run', ${runEntity("task_id", "0")}, 'resolved', NULL, 'exception', $2, $4,
         ${eventPayload("t")}
    FROM t
  UNION ALL
  SELECT $3, project_id, 'task', task_id, 'resolved', 'unscheduled', 'exception', $2, $4, ${eventPayload("t")} FROM t
)
SELECT task_id FROM t`;

export async function resolveUnscheduled(sql: Sql, taskIds: string[], reason: string, now: Date, actor: string) {
  if (taskIds.length === 0) return [];
  const r = await sql.query<{ task_id: string }>(SQL, [taskIds, reason, now, actor]);
  return r.rows.map((x) => x.task_id);
}
