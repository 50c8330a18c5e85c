import type { Sql } from "@hourglass/db";

/** Pending and claimed runs of a task queue, each capped (task_run_claim_idx; counts that stay fast). */
const SQL = `
SELECT (SELECT count(*) FROM (SELECT 1 FROM task_run WHERE task_queue_id = $1 AND state = 'pending' LIMIT $2) p)::int
         AS pending,
       (SELECT count(*) FROM (SELECT 1 FROM task_run WHERE task_queue_id = $1 AND state = 'running' LIMIT $2) c)::int
         AS claimed`;

export async function countRuns(sql: Sql, taskQueueId: string, cap: number) {
  const r = await sql.query<{ pending: number; claimed: number }>(SQL, [taskQueueId, cap]);
  return r.rows[0]!;
}
