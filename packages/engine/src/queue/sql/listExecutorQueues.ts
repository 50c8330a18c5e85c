import type { Queryable } from "./queryable.ts";

/**
 * The queues a worker may run: those bound to an executor, with what the
 * fetch loop needs. Runs every couple of seconds in every worker, so it is a
 * prepared statement rather than a Prisma query (whose compilation would
 * stall the event loop the jobs run on).
 */
const SQL = `
SELECT name, claim_timeout_millis, dequeue_rate_limit, executor
  FROM queue WHERE executor IS NOT NULL ORDER BY name`;

export interface ExecutorQueueRow {
  name: string;
  claim_timeout_millis: number;
  dequeue_rate_limit: number | null;
  executor: unknown;
}

export async function listExecutorQueues(db: Queryable): Promise<ExecutorQueueRow[]> {
  return (await db.query<ExecutorQueueRow>(SQL, [], "hg_list_executor_queues")).rows;
}
