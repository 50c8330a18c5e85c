import type { Sql } from "@hourglass/db";

/**
 * createTask's second statement (after lockDependencies.ts): the task group,
 * made by its first task (its schedulerId and project are then fixed) or
 * locked as it is, its expiry pushed to the latest of its tasks'. The row
 * lock orders the creations of one group, so the caller's checks (same
 * schedulerId, same project, not sealed) hold until it commits.
 */
const SQL = `
INSERT INTO task_group AS g (task_group_id, scheduler_id, project_id, expires, created)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (task_group_id) DO UPDATE SET expires = greatest(g.expires, EXCLUDED.expires)
RETURNING scheduler_id, project_id, sealed`;

export async function lockTaskGroup(
  sql: Sql, taskGroupId: string, schedulerId: string, projectId: string, expires: string, now: Date,
): Promise<{ scheduler_id: string; project_id: string; sealed: Date | null }> {
  const r = await sql.query(SQL, [taskGroupId, schedulerId, projectId, expires, now]);
  return r.rows[0];
}
