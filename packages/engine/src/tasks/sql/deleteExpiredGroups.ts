import type { Sql } from "@hourglass/db";

/**
 * GC, one bounded batch each: task groups past their expiry with no task
 * left, and task queues and workers not seen until their expiry (a
 * quarantined worker stays until its quarantine ends). No events: what they
 * recorded went with their tasks.
 */
const SQL = `
WITH groups AS (
  DELETE FROM task_group g
   WHERE g.task_group_id IN (
     SELECT x.task_group_id FROM task_group x
      WHERE x.expires < $1 AND NOT EXISTS (SELECT 1 FROM task t WHERE t.task_group_id = x.task_group_id)
      LIMIT $2)
  RETURNING 1
), queues AS (
  DELETE FROM task_queue WHERE task_queue_id IN (SELECT task_queue_id FROM task_queue WHERE expires < $1 LIMIT $2)
  RETURNING 1
), workers AS (
  DELETE FROM task_worker w USING (
    SELECT task_queue_id, worker_group, worker_id FROM task_worker
     WHERE expires < $1 AND (quarantine_until IS NULL OR quarantine_until < $1) LIMIT $2) x
   WHERE w.task_queue_id = x.task_queue_id AND w.worker_group = x.worker_group AND w.worker_id = x.worker_id
  RETURNING 1
)
SELECT (SELECT count(*) FROM groups)::int + (SELECT count(*) FROM queues)::int + (SELECT count(*) FROM workers)::int AS n`;

export async function deleteExpiredGroups(sql: Sql, now: Date, limit: number): Promise<number> {
  const r = await sql.query<{ n: number }>(SQL, [now, limit]);
  return r.rows[0]!.n;
}
