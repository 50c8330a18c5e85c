import { pickedSql, type BulkTarget } from "./bulkTarget.ts";
import { QUEUE_JOB_STATES } from "../states.ts";
import { actorOf, EVENT_COLUMNS, type Queryable } from "./queryable.ts";

/**
 * PinLater's deleteJobs: up to `limit` jobs of the target (a filter names
 * the state; a selection takes any), each with its `deleted` event. The
 * event names the job's queue: the job is gone, and readers of the log
 * decide who may see it by its queue. Returns the ids it deleted.
 */
export async function deleteJobs(db: Queryable, target: BulkTarget, limit: number, now: Date, by: string): Promise<string[]> {
  const params: unknown[] = [now, by];
  const picked = pickedSql(target, QUEUE_JOB_STATES, limit, params);
  const r = await db.query<{ id: string }>(
    `WITH ${picked},
     gone AS (DELETE FROM queue_job j USING picked WHERE j.id = picked.id RETURNING j.id, j.state, j.queue_name),
     ev AS (
       INSERT INTO event_log (${EVENT_COLUMNS})
       SELECT $1::timestamptz, q.project, 'queue_job', gone.id::text, 'deleted', gone.state::text, NULL, '',
              ${actorOf("$2::text")}, jsonb_build_object('queue', gone.queue_name)
         FROM gone JOIN queue q ON q.name = gone.queue_name
     )
     SELECT id::text AS id FROM gone`,
    params,
  );
  return r.rows.map((row) => row.id);
}
