import type { Sql } from "@hourglass/db";

export interface TaskGroupRow {
  task_group_id: string;
  scheduler_id: string;
  project_id: string;
  expires: Date;
  sealed: Date | null;
  resolved: Date | null;
  unresolved: number;
}

/** A task group by id. */
const SQL = `
SELECT task_group_id, scheduler_id, project_id, expires, sealed, resolved, unresolved
  FROM task_group WHERE task_group_id = $1`;

export async function readTaskGroup(sql: Sql, taskGroupId: string): Promise<TaskGroupRow | null> {
  const r = await sql.query<TaskGroupRow>(SQL, [taskGroupId]);
  return r.rows[0] ?? null;
}
