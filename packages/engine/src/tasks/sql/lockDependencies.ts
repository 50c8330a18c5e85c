import type { Sql } from "@hourglass/db";

/**
 * createTask's first statement: its dependencies' rows FOR SHARE, before the
 * group's lock, so every transaction takes task rows before group rows (a
 * resolution locks its task, then its group in resolveDependents.ts) and the
 * two never wait on each other in a cycle.
 */
const SQL = `SELECT 1 FROM task WHERE task_id = ANY($1::text[]) ORDER BY task_id FOR SHARE`;

export async function lockDependencies(sql: Sql, taskIds: string[]): Promise<void> {
  if (taskIds.length > 0) await sql.query(SQL, [taskIds]);
}
