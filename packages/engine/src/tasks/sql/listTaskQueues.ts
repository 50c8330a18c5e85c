import type { Sql } from "@hourglass/db";

export interface TaskQueueRow {
  task_queue_id: string;
  description: string;
  stability: string;
  last_date_active: Date;
  expires: Date;
}

/** A page of the task queues not expired, keyset by id ($1 = the last id of the page before, '' first). */
const SQL = `
SELECT task_queue_id, description, stability, last_date_active, expires FROM task_queue
 WHERE task_queue_id > $1 AND expires >= $2 AND ($4::text IS NULL OR task_queue_id = $4)
 ORDER BY task_queue_id LIMIT $3`;

/** `only`: just that task queue (getTaskQueue). */
export async function listTaskQueues(sql: Sql, after: string, now: Date, limit: number, only: string | null = null) {
  const r = await sql.query<TaskQueueRow>(SQL, [after, now, limit, only]);
  return r.rows;
}
