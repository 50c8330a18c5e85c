import type { Sql } from "@hourglass/db";

/** A queue's new retention applies to its jobs already finished in `state` too. */
export async function reapplyRetention(db: Sql, queueName: string, state: "SUCCEEDED" | "FAILED", retentionMillis: number) {
  await db.query(
    `UPDATE queue_job SET expires_at = finished_at + $3 * interval '1 millisecond'
      WHERE queue_name = $1 AND state = $2::"QueueJobState"`,
    [queueName, state, retentionMillis],
  );
}
