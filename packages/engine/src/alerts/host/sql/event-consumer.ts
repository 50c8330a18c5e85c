import type { Sql } from "@hourglass/db";

/** Where consumer $1 stands in the event log ("<tx>.<id>"), or null before its first pass. */
export async function consumerCursor(sql: Sql, consumer: string): Promise<string | null> {
  const r = await sql.query<{ cursor: string }>(`SELECT cursor FROM event_consumer WHERE consumer = $1`, [consumer]);
  return r.rows[0]?.cursor ?? null;
}

/** Places a new consumer at `cursor`; one already placed (by another worker) keeps its place. */
export async function placeConsumer(sql: Sql, consumer: string, cursor: string, now: Date): Promise<void> {
  await sql.query(
    `INSERT INTO event_consumer (consumer, cursor, updated_at) VALUES ($1, $2, $3) ON CONFLICT (consumer) DO NOTHING`,
    [consumer, cursor, now],
  );
}

/**
 * Moves consumer $1 from cursor $2 to $3; false when it is no longer at $2
 * (another worker handled those events). Run it first in the transaction
 * that writes what the events caused: the row lock makes a second worker
 * with the same batch wait, then find the cursor moved and write nothing.
 */
export async function advanceConsumer(sql: Sql, consumer: string, from: string, to: string, now: Date): Promise<boolean> {
  const r = await sql.query(
    `UPDATE event_consumer SET cursor = $3, updated_at = $4 WHERE consumer = $1 AND cursor = $2`,
    [consumer, from, to, now],
  );
  return (r.rowCount ?? 0) > 0;
}
