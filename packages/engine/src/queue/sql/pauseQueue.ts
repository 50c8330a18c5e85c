import type { Sql } from "@hourglass/db";
import { EVENT_COLUMNS } from "../../events/sql/columns.ts";
import { QUEUE_RETURNING, toQueueRow, type QueueRow } from "./queueRow.ts";

/**
 * Pauses a queue that is not paused (its dequeue rate limit becomes 0, the
 * old one is kept for resume) and writes its `paused` event, ACTIVE →
 * PAUSED, in the same statement. Null when the queue is missing or already
 * paused: nothing changed, no event.
 */
const SQL = `
WITH moved AS (
  UPDATE queue SET
    dequeue_rate_limit = 0, rate_limit_before_pause = dequeue_rate_limit,
    paused_at = $2, paused_by = $3, updated_at = $2
  WHERE name = $1 AND dequeue_rate_limit IS DISTINCT FROM 0
  RETURNING ${QUEUE_RETURNING}
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $2, m.project, 'queue', m.name, 'paused', 'ACTIVE', 'PAUSED', $4, $5,
         jsonb_build_object('rateLimitBeforePause', m."rateLimitBeforePause")
    FROM moved m
)
SELECT * FROM moved`;

/** `by` is recorded as who paused the queue, `actor` in its event. */
export async function pauseQueue(
  db: Sql, q: { name: string; now: Date; by: string; actor: string; reason: string },
): Promise<QueueRow | null> {
  const r = await db.query(SQL, [q.name, q.now, q.by, q.reason, q.actor]);
  return r.rows[0] ? toQueueRow(r.rows[0]) : null;
}
