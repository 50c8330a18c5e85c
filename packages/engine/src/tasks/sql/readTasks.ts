import type { Sql } from "@hourglass/db";
import { prefixed, type RunRow, type TaskRow } from "./common.ts";

/** Tasks by id with their runs in runId order (Taskcluster's task status needs both). */
const SQL = `
SELECT ${prefixed("t")},
       coalesce((SELECT jsonb_agg(jsonb_build_object(
         'runId', r.run_id, 'state', r.state, 'reasonCreated', r.reason_created, 'reasonResolved', r.reason_resolved,
         'workerGroup', r.worker_group, 'workerId', r.worker_id, 'takenUntil', r.taken_until, 'scheduled', r.scheduled,
         'started', r.started, 'resolved', r.resolved) ORDER BY r.run_id)
         FROM task_run r WHERE r.task_id = t.task_id), '[]'::jsonb) AS runs
  FROM task t WHERE t.task_id = ANY($1::text[])`;

export interface TaskWithRuns extends TaskRow {
  runs: RunRow[];
}

export async function readTasks(sql: Sql, taskIds: string[]): Promise<TaskWithRuns[]> {
  if (taskIds.length === 0) return [];
  const r = await sql.query<TaskWithRuns>(SQL, [taskIds]);
  const order = new Map(taskIds.map((id, i) => [id, i]));
  return r.rows.sort((a, b) => order.get(a.task_id)! - order.get(b.task_id)!);
}
