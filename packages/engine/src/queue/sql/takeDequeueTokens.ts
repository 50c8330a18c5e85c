import type { Queryable } from "./queryable.ts";

/**
 * The dequeue rate limiter: a token bucket per queue refilled at
 * dequeue_rate_limit jobs/s, holding at most one second's worth (at least 1).
 * Grants up to $3 whole tokens and returns how many; 0 means rate limited.
 * Only queues with a limit reach this statement, so unlimited queues never
 * contend on the queue row.
 */
const SQL = `
WITH cur AS (
  SELECT name,
         least(greatest(dequeue_rate_limit, 1),
               CASE WHEN rate_tokens_at IS NULL THEN greatest(dequeue_rate_limit, 1)
                    ELSE rate_tokens + greatest(0, extract(epoch FROM ($2::timestamptz - rate_tokens_at))) * dequeue_rate_limit
               END) AS available
    FROM queue WHERE name = $1 AND dequeue_rate_limit > 0
     FOR UPDATE
), granted AS (
  SELECT name, available, least(floor(available), $3)::int AS n FROM cur
)
UPDATE queue q SET rate_tokens = g.available - g.n, rate_tokens_at = $2
  FROM granted g WHERE q.name = g.name
RETURNING g.n`;

export async function takeDequeueTokens(db: Queryable, queueName: string, wanted: number, now: Date): Promise<number> {
  const r = await db.query<{ n: number }>(SQL, [queueName, now, wanted], "hg_take_dequeue_tokens");
  return r.rows[0]?.n ?? 0;
}
