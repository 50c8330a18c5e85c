import type { Sql } from "@hourglass/db";

export interface WorkerRow {
  task_queue_id: string;
  worker_group: string;
  worker_id: string;
  first_claim: Date;
  last_date_active: Date;
  quarantine_until: Date | null;
  recent_tasks: { taskId: string; runId: number }[];
  expires: Date;
}

/**
 * A page of a task queue's workers, keyset by (workerGroup, workerId) after
 * $2/$3: those not expired, and quarantined ones even when expired (as
 * Taskcluster keeps them visible); $5 true / false keeps only quarantined /
 * not quarantined ones; $7 names one worker (getWorker).
 */
const SQL = `
SELECT task_queue_id, worker_group, worker_id, first_claim, last_date_active, quarantine_until, recent_tasks, expires
  FROM task_worker
 WHERE task_queue_id = $1 AND (worker_group, worker_id) > ($2, $3)
   AND (expires >= $4 OR quarantine_until >= $4)
   AND ($5::bool IS NULL OR (quarantine_until IS NOT NULL AND quarantine_until > $4) = $5)
   AND ($7::text IS NULL OR worker_group || '/' || worker_id = $7)
 ORDER BY worker_group, worker_id LIMIT $6`;

export async function listWorkers(
  sql: Sql, taskQueueId: string, after: [string, string], now: Date, quarantined: boolean | null, limit: number,
  only: string | null = null,
) {
  const r = await sql.query<WorkerRow>(SQL, [taskQueueId, after[0], after[1], now, quarantined, limit, only]);
  return r.rows;
}
