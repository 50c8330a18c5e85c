import type { Sql } from "@hourglass/db";

/**
 * claimWork's bookkeeping: the task queue and the worker are seen now (their
 * expiry pushed $6 ms ahead), the worker's first claim recorded once. Returns
 * the worker's quarantine, which makes claimWork give it nothing.
 */
const SQL = `
WITH q AS (
  INSERT INTO task_queue AS q (task_queue_id, last_date_active, expires)
  VALUES ($1, $4, $4::timestamptz + $5 * interval '1 millisecond')
  ON CONFLICT (task_queue_id) DO UPDATE SET last_date_active = EXCLUDED.last_date_active,
    expires = greatest(q.expires, EXCLUDED.expires)
)
INSERT INTO task_worker AS w (task_queue_id, worker_group, worker_id, first_claim, last_date_active, expires)
VALUES ($1, $2, $3, $4, $4, $4::timestamptz + $5 * interval '1 millisecond')
ON CONFLICT (task_queue_id, worker_group, worker_id) DO UPDATE SET last_date_active = EXCLUDED.last_date_active,
  expires = greatest(w.expires, EXCLUDED.expires)
RETURNING quarantine_until`;

export async function workerSeen(
  sql: Sql, taskQueueId: string, workerGroup: string, workerId: string, now: Date, expiresMs: number,
): Promise<Date | null> {
  const r = await sql.query<{ quarantine_until: Date | null }>(SQL, [
    taskQueueId, workerGroup, workerId, now, expiresMs,
  ], "hg_task_worker_seen");
  return r.rows[0]!.quarantine_until;
}
