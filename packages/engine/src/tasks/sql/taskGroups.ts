import type { Sql } from "@hourglass/db";
import { EVENT_COLUMNS } from "./common.ts";

export interface TaskGroupRow {
  task_group_id: string;
  scheduler_id: string;
  project_id: string;
  expires: Date;
  sealed: Date | null;
  resolved: Date | null;
  unresolved: number;
}

const READ_SQL = `
SELECT task_group_id, scheduler_id, project_id, expires, sealed, resolved, unresolved FROM task_group WHERE task_group_id = $1`;

export async function readTaskGroup(sql: Sql, taskGroupId: string): Promise<TaskGroupRow | null> {
  const r = await sql.query<TaskGroupRow>(READ_SQL, [taskGroupId]);
  return r.rows[0] ?? null;
}

/** sealTaskGroup: sealed once (guarded on `sealed IS NULL`); a second seal changes nothing and writes no event. */
const SEAL_SQL = `
WITH g AS (
  UPDATE task_group SET sealed = $2 WHERE task_group_id = $1 AND sealed IS NULL RETURNING task_group_id, project_id
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $2, project_id, 'task_group', task_group_id, 'sealed', NULL, NULL, '', $3,
         jsonb_build_object('taskGroupId', task_group_id)
    FROM g
)
SELECT count(*)::int AS n FROM g`;

export async function sealTaskGroup(sql: Sql, taskGroupId: string, now: Date, actor: string): Promise<boolean> {
  const r = await sql.query<{ n: number }>(SEAL_SQL, [taskGroupId, now, actor]);
  return r.rows[0]!.n === 1;
}

/** cancelTaskGroup's batches: a group's unresolved tasks, locked, keyset by taskId. */
const UNRESOLVED_SQL = `
SELECT task_id, state::text AS state, run_count FROM task
 WHERE task_group_id = $1 AND state IN ('unscheduled', 'pending', 'running') AND task_id > $2
 ORDER BY task_id LIMIT $3
 FOR UPDATE`;

export async function unresolvedInGroup(sql: Sql, taskGroupId: string, after: string, limit: number) {
  const r = await sql.query<{ task_id: string; state: string; run_count: number }>(UNRESOLVED_SQL, [
    taskGroupId, after, limit,
  ]);
  return r.rows;
}
