import type { Sql } from "@hourglass/db";

/** How many tasks a group holds, capped (task_task_group_id_task_id_idx). */
const SQL = `SELECT count(*)::int AS n FROM (SELECT 1 FROM task WHERE task_group_id = $1 LIMIT $2) t`;

export async function groupSize(sql: Sql, taskGroupId: string, cap: number): Promise<number> {
  const r = await sql.query<{ n: number }>(SQL, [taskGroupId, cap]);
  return r.rows[0]!.n;
}
