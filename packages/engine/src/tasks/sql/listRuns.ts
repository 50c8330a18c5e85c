import type { Sql } from "@hourglass/db";
import { prefixed, type TaskRow } from "./common.ts";

/**
 * listPendingTasks / listClaimedTasks: a page of a task queue's pending (or
 * running) runs in claim order, keyset on (priority, scheduled, taskId)
 * after $3-$5 (task_run_claim_idx), with their tasks.
 */
const SQL = `
SELECT r.run_id, r.scheduled, r.started, r.priority AS run_rank, r.worker_group, r.worker_id, ${prefixed("t")}
  FROM task_run r JOIN task t ON t.task_id = r.task_id
 WHERE r.task_queue_id = $1 AND r.state = $2::"TaskRunState" AND (r.priority, r.scheduled, r.task_id) > ($3, $4, $5)
 ORDER BY r.priority, r.scheduled, r.task_id
 LIMIT $6`;

export interface RunListRow extends TaskRow {
  run_id: number;
  scheduled: Date;
  started: Date | null;
  run_rank: number;
  worker_group: string | null;
  worker_id: string | null;
}

export async function listRuns(
  sql: Sql, taskQueueId: string, state: "pending" | "running", after: { priority: number; scheduled: Date; taskId: string },
  limit: number,
): Promise<RunListRow[]> {
  const r = await sql.query<RunListRow>(SQL, [
    taskQueueId, state, after.priority, after.scheduled, after.taskId, limit,
  ]);
  return r.rows;
}
