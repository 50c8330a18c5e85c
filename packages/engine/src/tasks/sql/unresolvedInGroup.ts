import type { Sql } from "@hourglass/db";

/**
 * cancelTaskGroup's batches: a group's unresolved tasks, keyset by taskId.
 * Not locked: the resolutions that follow are guarded by the state read here
 * (locking task rows first would invert the run-then-task order of claims and
 * reports), and the caller looks again at those that moved meanwhile.
 */
const SQL = `
SELECT task_id, state::text AS state, run_count FROM task
 WHERE task_group_id = $1 AND state IN ('unscheduled', 'pending', 'running') AND task_id > $2
 ORDER BY task_id LIMIT $3`;

export async function unresolvedInGroup(sql: Sql, taskGroupId: string, after: string, limit: number) {
  const r = await sql.query<{ task_id: string; state: string; run_count: number }>(SQL, [taskGroupId, after, limit]);
  return r.rows;
}
