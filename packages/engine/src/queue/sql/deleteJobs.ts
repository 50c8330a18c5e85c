import { jobFilterSql, type JobFilter } from "./jobFilter.ts";
import type { Queryable } from "./queryable.ts";

/** PinLater's deleteJobs: up to `limit` jobs matching the filter, in any state. */
export async function deleteJobs(db: Queryable, filter: JobFilter, limit: number): Promise<number> {
  const params: unknown[] = [];
  const where = jobFilterSql(filter, params);
  params.push(limit);
  const r = await db.query(
    `WITH doomed AS (SELECT id FROM queue_job WHERE ${where} LIMIT $${params.length} FOR UPDATE SKIP LOCKED)
     DELETE FROM queue_job j USING doomed WHERE j.id = doomed.id`,
    params,
  );
  return r.rowCount ?? 0;
}
