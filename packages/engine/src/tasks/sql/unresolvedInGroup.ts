import type { Sql } from "@hourglass/db";

/** cancelTaskGroup's batches, inside their transaction: a group's unresolved tasks, locked, keyset by taskId. */
const SQL = `
SELECT task_id, state::text AS state, run_count FROM task
 WHERE task_group_id = $1 AND state IN ('unscheduled', 'pending', 'running') AND task_id > $2
 ORDER BY task_id LIMIT $3
 FOR UPDATE`;

export async function unresolvedInGroup(sql: Sql, taskGroupId: string, after: string, limit: number) {
  const r = await sql.query<{ task_id: string; state: string; run_count: number }>(SQL, [taskGroupId, after, limit]);
  return r.rows;
}
