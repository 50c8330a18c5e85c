import type { Sql } from "@hourglass/db";
import { byCloseness, containsPattern } from "./like.ts";

export interface QueueHitRow { name: string; project: string }

/**
 * Queues whose name contains `text` (any case). The queue table is a
 * catalogue (one row per queue, created by operators), so the scan it
 * needs is bounded by how many queues exist, and LIMIT bounds the answer.
 */
export async function findQueues(sql: Sql, text: string, limit: number): Promise<QueueHitRow[]> {
  const r = await sql.query<QueueHitRow>(
    `SELECT name, project FROM queue WHERE name ILIKE $1 ORDER BY ${byCloseness("name", "$2")} LIMIT $3`,
    [containsPattern(text), text, limit],
  );
  return r.rows;
}
