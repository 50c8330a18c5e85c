import type { Sql } from "@hourglass/db";
import { EVENT_COLUMNS } from "../../events/sql/columns.ts";

/**
 * Deletes a queue (its jobs go with it, by the foreign key) and writes its
 * `deleted` event in the same statement: one compact event for the queue
 * that counts the jobs, not one per job. False when there was no such queue.
 */
const SQL = `
WITH gone AS (
  DELETE FROM queue WHERE name = $1 RETURNING name, project, dequeue_rate_limit
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $2, g.project, 'queue', g.name, 'deleted', CASE WHEN g.dequeue_rate_limit = 0 THEN 'PAUSED' ELSE 'ACTIVE' END,
         NULL, '', $3, jsonb_build_object('jobs', (SELECT count(*) FROM queue_job WHERE queue_name = $1))
    FROM gone g
)
SELECT count(*)::int AS n FROM gone`;

export async function deleteQueue(db: Sql, q: { name: string; now: Date; by: string }): Promise<boolean> {
  const r = await db.query<{ n: number }>(SQL, [q.name, q.now, q.by]);
  return r.rows[0]!.n > 0;
}
