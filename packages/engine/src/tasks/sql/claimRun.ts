import type { Sql } from "@hourglass/db";
import { EVENT_COLUMNS, eventPayload, prefixed, runEntity } from "./common.ts";
import type { ClaimedRun } from "./claimRuns.ts";

/**
 * claimTask's statement (Taskcluster's deprecated claim of one named run):
 * run $2 of task $1, if it is pending and its task's deadline has not
 * passed, becomes running for worker $4/$5 with a lease of $6 ms.
 */
const SQL = `
WITH claimed AS (
  UPDATE task_run r SET state = 'running', worker_group = $4, worker_id = $5, started = $3,
         taken_until = $3::timestamptz + $6 * interval '1 millisecond'
    FROM task t
   WHERE r.task_id = $1 AND r.run_id = $2 AND r.state = 'pending' AND t.task_id = r.task_id AND t.deadline > $3
  RETURNING r.task_id, r.run_id, r.taken_until
), tasks AS (
  UPDATE task t SET state = 'running', updated_at = $3 FROM claimed WHERE t.task_id = claimed.task_id
  RETURNING ${prefixed("t")}
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $3, t.project_id, 'task_run', ${runEntity("c.task_id", "c.run_id")}, 'claimed', 'pending', 'running', '', $7,
         ${eventPayload("t", ", 'workerGroup', $4::text, 'workerId', $5::text, 'takenUntil', c.taken_until")}
    FROM claimed c JOIN tasks t USING (task_id)
)
SELECT t.*, c.run_id, c.taken_until FROM claimed c JOIN tasks t USING (task_id)`;

export async function claimRun(
  sql: Sql, taskId: string, runId: number, now: Date, workerGroup: string, workerId: string, leaseMs: number,
  actor: string,
): Promise<ClaimedRun | null> {
  const r = await sql.query<ClaimedRun>(SQL, [taskId, runId, now, workerGroup, workerId, leaseMs, actor]);
  return r.rows[0] ?? null;
}
