import { jobFilterSql, type JobFilter } from "./jobFilter.ts";

/**
 * Which jobs a bulk action picks: the operator's selection (ids of one
 * queue) or every job matching a filter. A selection is guarded by the
 * states the action moves jobs from (the others are reported as skipped by
 * the caller); a filter names its state, so all it matches can move.
 * `before` (when set) bounds a filter to jobs last changed before the
 * action began (its first batch): batches then end even when the action
 * leaves jobs matching the filter (a requeue of PENDING jobs), and jobs
 * enqueued or failed meanwhile are not swept in.
 */
export type BulkTarget =
  | { kind: "ids"; queueName: string; ids: string[] }
  | { kind: "filter"; filter: JobFilter; before: Date | null };

/**
 * The CTE `picked (id, state)` of up to `limit` target jobs in `states`,
 * locked; jobs another transaction holds are skipped (a worker claiming or
 * acking them), never waited on.
 */
export function pickedSql(target: BulkTarget, states: readonly string[], limit: number, params: unknown[]): string {
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = target.kind === "ids"
    ? `id = ANY(${p(target.ids)}::bigint[]) AND queue_name = ${p(target.queueName)}
       AND state = ANY(${p(states)}::"QueueJobState"[])`
    : `${jobFilterSql(target.filter, params)} AND state = ANY(${p(states)}::"QueueJobState"[])
       ${target.before ? `AND updated_at < ${p(target.before)}` : ""}`;
  return `picked AS (
    SELECT id, state FROM queue_job WHERE ${where} LIMIT ${p(limit)} FOR UPDATE SKIP LOCKED
  )`;
}

/** The target's queue. */
export const targetQueue = (t: BulkTarget) => (t.kind === "ids" ? t.queueName : t.filter.queueName);
