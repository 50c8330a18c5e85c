import type { Sql } from "@hourglass/db";
import { byCloseness, containsPattern } from "./like.ts";

/** Scheduler projects whose name contains `text`: one row per project file, bounded by LIMIT. */
export async function findProjects(sql: Sql, text: string, limit: number): Promise<{ id: string }[]> {
  const r = await sql.query<{ id: string }>(
    `SELECT id FROM scheduler_project WHERE id ILIKE $1 ORDER BY ${byCloseness("id", "$2")} LIMIT $3`,
    [containsPattern(text), text, limit],
  );
  return r.rows;
}
