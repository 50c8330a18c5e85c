import { pickedSql, targetQueue, type BulkTarget } from "./bulkTarget.ts";
import { actorOf, EVENT_COLUMNS, type Queryable } from "./queryable.ts";

/**
 * An operator's cancel: up to `limit` PENDING jobs of the target become
 * FAILED with no attempts left, before any worker claims them (a claimed
 * job is its worker's until it acks; delete it instead), each with its
 * `cancelled` event. They are kept for the queue's failed retention, so a
 * retry can bring them back. Returns the ids it moved.
 */
export async function cancelJobs(db: Queryable, target: BulkTarget, limit: number, now: Date, by: string): Promise<string[]> {
  const params: unknown[] = [targetQueue(target), now, by];
  const picked = pickedSql(target, ["PENDING"], limit, params);
  const r = await db.query<{ id: string }>(
    `WITH ${picked}, moved AS (
       UPDATE queue_job j SET
         state = 'FAILED', attempts_remaining = 0, finished_at = $2,
         expires_at = $2::timestamptz + q.failed_retention_millis * interval '1 millisecond', updated_at = $2
       FROM picked, queue q WHERE j.id = picked.id AND q.name = $1
       RETURNING j.id, q.project
     ), ev AS (
       INSERT INTO event_log (${EVENT_COLUMNS})
       SELECT $2, moved.project, 'queue_job', moved.id::text, 'cancelled', 'PENDING', 'FAILED', 'cancelled by an operator',
              ${actorOf("$3::text")}, NULL
         FROM moved
     )
     SELECT id::text AS id FROM moved`,
    params,
  );
  return r.rows.map((row) => row.id);
}
