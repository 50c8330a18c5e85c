import type { Sql } from "@hourglass/db";

/** A page of a group's tasks, keyset by taskId (task_task_group_id_task_id_idx). */
const GROUP_SQL = `
SELECT task_id FROM task WHERE task_group_id = $1 AND task_id > $2 ORDER BY task_id LIMIT $3`;

/** A page of the tasks that depend on a task, keyset by taskId (the dependency table's primary key). */
const DEPENDENTS_SQL = `
SELECT dependent_task_id AS task_id FROM task_dependency
 WHERE required_task_id = $1 AND dependent_task_id > $2 ORDER BY dependent_task_id LIMIT $3`;

export async function listTaskIds(sql: Sql, of: "group" | "dependents", id: string, after: string, limit: number) {
  const r = await sql.query<{ task_id: string }>(of === "group" ? GROUP_SQL : DEPENDENTS_SQL, [id, after, limit]);
  return r.rows.map((x) => x.task_id);
}
