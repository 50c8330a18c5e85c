import { jobFilterSql, type JobFilter } from "./jobFilter.ts";
import { actorOf, EVENT_COLUMNS, type Queryable } from "./queryable.ts";

/**
 * PinLater's deleteJobs: up to `limit` jobs matching the filter, in any state, each with its `deleted` event.
 * The event names the job's queue: the job is gone, and readers of the log decide who may see it by its queue.
 */
export async function deleteJobs(db: Queryable, filter: JobFilter, limit: number, by: string): Promise<number> {
  const params: unknown[] = [];
  const where = jobFilterSql(filter, params);
  params.push(limit, filter.now, by);
  const n = params.length;
  const r = await db.query<{ n: number }>(
    `WITH doomed AS (SELECT id FROM queue_job WHERE ${where} LIMIT $${n - 2} FOR UPDATE SKIP LOCKED),
     gone AS (DELETE FROM queue_job j USING doomed WHERE j.id = doomed.id RETURNING j.id, j.state, j.queue_name),
     ev AS (
       INSERT INTO event_log (${EVENT_COLUMNS})
       SELECT $${n - 1}::timestamptz, q.project, 'queue_job', gone.id::text, 'deleted', gone.state::text, NULL, '',
              ${actorOf(`$${n}::text`)}, jsonb_build_object('queue', gone.queue_name)
         FROM gone JOIN queue q ON q.name = gone.queue_name
     )
     SELECT count(*)::int AS n FROM gone`,
    params,
  );
  return r.rows[0]?.n ?? 0;
}
