import { jobFilterSql, type JobFilter } from "./jobFilter.ts";
import type { Queryable } from "./queryable.ts";

export interface ScannedRow {
  id: string;
  state: string;
  priority: number;
  attempts_allowed: number;
  attempts_remaining: number;
  custom_status: string;
  created_at: Date;
  run_after: Date;
  updated_at: Date;
  claim_descriptor: string | null;
}

/** Keyset position: the last row of the previous page. */
export interface ScanCursor {
  runAfter: Date;
  id: string;
}

/**
 * One priority's page, newest runAfter first, strictly after `cursor`. With
 * the priority fixed, a backward walk of queue_job_scan_idx yields exactly
 * this order, so a page costs `limit` index entries at any depth. ORDER BY
 * names `queue_job.id`: a bare `id` would mean the text alias of the select
 * list ("10000" < "9999"), disagreeing with the numeric cursor.
 */
export async function scanJobsOfPriority(
  db: Queryable,
  filter: JobFilter & { priority: number },
  cursor: ScanCursor | null,
  limit: number,
): Promise<ScannedRow[]> {
  const params: unknown[] = [];
  let where = jobFilterSql(filter, params);
  if (cursor) {
    params.push(cursor.runAfter, cursor.id);
    where += ` AND (run_after, id) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`;
  }
  params.push(limit);
  const r = await db.query<ScannedRow>(
    `SELECT id::text AS id, state::text AS state, priority, attempts_allowed, attempts_remaining, custom_status,
            created_at, run_after, updated_at, claim_descriptor
       FROM queue_job WHERE ${where}
      ORDER BY priority DESC, run_after DESC, queue_job.id DESC
      LIMIT $${params.length}`,
    params,
  );
  return r.rows;
}
