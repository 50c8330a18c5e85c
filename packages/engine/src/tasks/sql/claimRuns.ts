import type { Sql } from "@hourglass/db";
import { EVENT_COLUMNS, eventPayload, prefixed, runEntity, type TaskRow } from "./common.ts";

/**
 * claimWork's statement: up to $3 pending runs of task queue $1 whose task's
 * deadline has not passed, in priority order, then due time, then taskId;
 * each becomes running for worker $4/$5 with a lease of $6 ms, its task
 * running too. SKIP LOCKED lets concurrent claimers take disjoint runs. One
 * `claimed` event per run (the exchanges' task-running to come reads them).
 */
const SQL = `
WITH picked AS (
  SELECT r.task_id, r.run_id FROM task_run r JOIN task t ON t.task_id = r.task_id
   WHERE r.task_queue_id = $1 AND r.state = 'pending' AND t.deadline > $2
   ORDER BY r.priority, r.scheduled, r.task_id
   LIMIT $3
   FOR UPDATE OF r SKIP LOCKED
), claimed AS (
  UPDATE task_run r SET state = 'running', worker_group = $4, worker_id = $5, started = $2,
         taken_until = $2::timestamptz + $6 * interval '1 millisecond'
    FROM picked
   WHERE r.task_id = picked.task_id AND r.run_id = picked.run_id AND r.state = 'pending'
  RETURNING r.task_id, r.run_id, r.taken_until, r.priority, r.scheduled
), tasks AS (
  UPDATE task t SET state = 'running', updated_at = $2
    FROM claimed WHERE t.task_id = claimed.task_id
  RETURNING ${prefixed("t")}
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $2, t.project_id, 'task_run', ${runEntity("c.task_id", "c.run_id")}, 'claimed', 'pending', 'running', '', $7,
         ${eventPayload("t", ", 'workerGroup', $4::text, 'workerId', $5::text, 'takenUntil', c.taken_until")}
    FROM claimed c JOIN tasks t USING (task_id)
)
SELECT t.*, c.run_id, c.taken_until FROM claimed c JOIN tasks t USING (task_id)
 ORDER BY c.priority, c.scheduled, c.task_id`;

export interface ClaimedRun extends TaskRow {
  run_id: number;
  taken_until: Date;
}

export async function claimRuns(
  sql: Sql, taskQueueId: string, now: Date, limit: number, workerGroup: string, workerId: string, leaseMs: number,
  actor: string,
): Promise<ClaimedRun[]> {
  const r = await sql.query<ClaimedRun>(SQL, [taskQueueId, now, limit, workerGroup, workerId, leaseMs, actor],
    "hg_claim_task_runs");
  return r.rows;
}
