import type { Sql } from "@hourglass/db";

/** After a claim: the worker's recent tasks gain the claimed runs, newest last, at most 20 kept. */
const SQL = `
UPDATE task_worker SET recent_tasks = (
  SELECT coalesce(jsonb_agg(e ORDER BY n), '[]'::jsonb) FROM (
    SELECT e, n FROM jsonb_array_elements(recent_tasks || $4::jsonb) WITH ORDINALITY AS x(e, n)
     ORDER BY n DESC LIMIT 20) kept)
 WHERE task_queue_id = $1 AND worker_group = $2 AND worker_id = $3`;

export async function recordRecentTasks(
  sql: Sql, taskQueueId: string, workerGroup: string, workerId: string, runs: { taskId: string; runId: number }[],
): Promise<void> {
  if (runs.length === 0) return;
  await sql.query(SQL, [taskQueueId, workerGroup, workerId, JSON.stringify(runs)]);
}
