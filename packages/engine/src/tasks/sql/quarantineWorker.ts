import type { Sql } from "@hourglass/db";
import { EVENT_COLUMNS } from "./common.ts";
import type { WorkerRow } from "./listWorkers.ts";

/**
 * quarantineWorker: until $4 the worker gets no work from claimWork (a past
 * time ends a quarantine). An operator action: its event (`task_worker
 * quarantined`, in the reserved project `hourglass`, as workers belong to no
 * project) names the caller and the time.
 */
const SQL = `
WITH w AS (
  UPDATE task_worker SET quarantine_until = $4
   WHERE task_queue_id = $1 AND worker_group = $2 AND worker_id = $3
  RETURNING task_queue_id, worker_group, worker_id, first_claim, last_date_active, quarantine_until, recent_tasks, expires
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $5, 'hourglass', 'task_worker', task_queue_id || '/' || worker_group || '/' || worker_id, 'quarantined',
         NULL, NULL, '', $6, jsonb_build_object('taskQueueId', task_queue_id, 'quarantineUntil', quarantine_until)
    FROM w
)
SELECT * FROM w`;

export async function quarantineWorker(
  sql: Sql, taskQueueId: string, workerGroup: string, workerId: string, until: Date, now: Date, actor: string,
): Promise<WorkerRow | null> {
  const r = await sql.query<WorkerRow>(SQL, [taskQueueId, workerGroup, workerId, until, now, actor]);
  return r.rows[0] ?? null;
}
