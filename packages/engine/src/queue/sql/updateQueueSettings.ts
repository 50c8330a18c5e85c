import type { Sql } from "@hourglass/db";
import type { QueueSettings } from "../schemas.ts";
import { QUEUE_RETURNING, toQueueRow, type QueueRow } from "./queueRow.ts";
import { settingsColumns } from "./settingsColumns.ts";

/**
 * Writes the settings `s` names, guarded by the `updated_at` the caller read
 * (null when the queue changed or went away since). A new rate limit resets
 * the token bucket; a limit of 0 pauses the queue (recording who, when and
 * the limit to restore), any other limit ends a pause.
 */
export async function updateQueueSettings(
  db: Sql, q: { name: string; readAt: Date; now: Date; by: string; settings: QueueSettings },
): Promise<QueueRow | null> {
  const params: unknown[] = [q.name, q.readAt, q.now];
  const sets = settingsColumns(q.settings).map((c) => {
    params.push(c.value);
    return `${c.column} = $${params.length}${c.cast ?? ""}`;
  });
  sets.push("updated_at = $3");
  const rate = q.settings.dequeueRateLimit;
  if (rate !== undefined) sets.push("rate_tokens = 0", "rate_tokens_at = NULL");
  if (rate === 0) {
    params.push(q.by);
    // SET reads the row as it was: a queue already paused keeps its pause record
    sets.push(
      "paused_at = CASE WHEN dequeue_rate_limit = 0 THEN paused_at ELSE $3 END",
      `paused_by = CASE WHEN dequeue_rate_limit = 0 THEN paused_by ELSE $${params.length}::text END`,
      "rate_limit_before_pause = CASE WHEN dequeue_rate_limit = 0 THEN rate_limit_before_pause ELSE dequeue_rate_limit END",
    );
  } else if (rate !== undefined) {
    sets.push("paused_at = NULL", "paused_by = NULL", "rate_limit_before_pause = NULL");
  }
  const r = await db.query(
    `UPDATE queue SET ${sets.join(", ")} WHERE name = $1 AND updated_at = $2 RETURNING ${QUEUE_RETURNING}`,
    params,
  );
  return r.rows[0] ? toQueueRow(r.rows[0]) : null;
}
