import type { Sql } from "@hourglass/db";

/**
 * Locks a request's row for the rest of the transaction and returns its
 * state (null: no such request). Every transition that reads the request
 * before it writes holds this lock, so the ends of one request's tries apply
 * one at a time (completeJob.ts takes the same lock in its statement).
 */
export async function lockRequest(sql: Sql, id: string): Promise<string | null> {
  const r = await sql.query<{ state: string }>(
    `SELECT state::text AS state FROM request WHERE id = $1 FOR UPDATE`, [id]);
  return r.rows[0]?.state ?? null;
}
