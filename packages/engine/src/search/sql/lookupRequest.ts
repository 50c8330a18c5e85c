import type { Sql } from "@hourglass/db";

export interface RequestHitRow { id: string; type: string; project: string; state: string; created_at: Date }

/** The request with exactly this id (its primary key). */
export async function lookupRequest(sql: Sql, id: string): Promise<RequestHitRow[]> {
  const r = await sql.query<RequestHitRow>(
    `SELECT id, type, project, state::text AS state, created_at FROM request WHERE id = $1`, [id]);
  return r.rows;
}
