import type { Sql } from "@hourglass/db";
import { EVENT_COLUMNS } from "./common.ts";

/** sealTaskGroup: sealed once (guarded on `sealed IS NULL`); a second seal changes nothing and writes no event. */
const SQL = `
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
  const r = await sql.query<{ n: number }>(SQL, [taskGroupId, now, actor]);
  return r.rows[0]!.n === 1;
}
