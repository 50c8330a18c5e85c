import type { Sql } from "@hourglass/db";
import { byCloseness, containsPattern } from "./like.ts";

export interface SchedulerJobHitRow { key: string; project: string }

/**
 * Scheduler jobs still in their project's config whose key ("<project>/<job>")
 * contains `text`. Jobs come from config files (a catalogue, not a log), so
 * the scan is bounded by the configured jobs; LIMIT bounds the answer.
 */
export async function findSchedulerJobs(sql: Sql, text: string, limit: number): Promise<SchedulerJobHitRow[]> {
  const r = await sql.query<SchedulerJobHitRow>(
    `SELECT key, project_id AS project FROM scheduler_job
      WHERE removed_at IS NULL AND key ILIKE $1
      ORDER BY (job_id = $2) DESC, ${byCloseness("key", "$2")} LIMIT $3`,
    [containsPattern(text), text, limit],
  );
  return r.rows;
}
