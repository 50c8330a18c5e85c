import type { Sql } from "@hourglass/db";
import { EVENT_COLUMNS } from "../../events/sql/columns.ts";
import { QUEUE_RETURNING, toQueueRow, type QueueRow } from "./queueRow.ts";

/**
 * Resumes a paused queue (the rate limit it had before the pause comes
 * back; none when that was 0) and writes its `resumed` event, PAUSED →
 * ACTIVE, in the same statement. Null when the queue is missing or not
 * paused: nothing changed, no event.
 */
const SQL = `
WITH moved AS (
  UPDATE queue SET
    dequeue_rate_limit = CASE WHEN rate_limit_before_pause = 0 THEN NULL ELSE rate_limit_before_pause END,
    rate_limit_before_pause = NULL, paused_at = NULL, paused_by = NULL, rate_tokens = 0, rate_tokens_at = NULL,
    updated_at = $2
  WHERE name = $1 AND dequeue_rate_limit = 0
  RETURNING ${QUEUE_RETURNING}
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $2, m.project, 'queue', m.name, 'resumed', 'PAUSED', 'ACTIVE', $4, $3,
         jsonb_build_object('dequeueRateLimit', m."dequeueRateLimit")
    FROM moved m
)
SELECT * FROM moved`;

export async function resumeQueue(db: Sql, q: { name: string; now: Date; by: string; reason: string }): Promise<QueueRow | null> {
  const r = await db.query(SQL, [q.name, q.now, q.by, q.reason]);
  return r.rows[0] ? toQueueRow(r.rows[0]) : null;
}
