import type { Sql } from "@hourglass/db";
import { EVENT_COLUMNS } from "./common.ts";

/**
 * GC, one bounded batch: tasks past `expires` are deleted with their runs
 * and dependency rows (foreign keys cascade). Compact event: one `collected`
 * event per task group and batch with the count.
 */
const SQL = `
WITH doomed AS (
  SELECT task_id FROM task WHERE expires < $1 ORDER BY expires LIMIT $2 FOR UPDATE SKIP LOCKED
), gone AS (
  DELETE FROM task t USING doomed WHERE t.task_id = doomed.task_id RETURNING t.project_id, t.task_group_id
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $1, project_id, 'task_group', task_group_id, 'collected', NULL, NULL, '', 'system:gc',
         jsonb_build_object('taskGroupId', task_group_id, 'count', count(*))
    FROM gone GROUP BY project_id, task_group_id
)
SELECT count(*)::int AS n FROM gone`;

export async function deleteExpiredTasks(sql: Sql, now: Date, limit: number): Promise<number> {
  const r = await sql.query<{ n: number }>(SQL, [now, limit], "hg_delete_expired_tasks");
  return r.rows[0]!.n;
}
