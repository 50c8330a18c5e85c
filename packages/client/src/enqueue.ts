import type { RouterInputs } from "./types.ts";

/** Any client of the `pg` family (pg.Client, a pg.PoolClient, a Pool for autocommit): only `query` is used. */
export interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
}

/** A job, exactly as the API's `queues.enqueueJobs` takes it (body, priority, runAfterTimestampMillis, …). */
export type EnqueueJob = RouterInputs["queues"]["enqueueJobs"]["jobs"][number];

export interface EnqueueOptions {
  /** Recorded in the jobs' `enqueued` events, "<kind>:<name>" (e.g. "service:signup"); default "system:sql". */
  actor?: string;
}

/**
 * Enqueues `jobs` on `queue` through `db`, the connection of your own
 * transaction (`BEGIN` … `COMMIT`), with the SQL function the migrations
 * install (`hourglass.enqueue_jobs`). The jobs, their events and the
 * workers' wake-ups commit with your transaction or roll back with it:
 * workers see the jobs at commit, never before and never after a rollback.
 * The checks are the API's (the queue must exist and not be `hourglass_*`;
 * priority 1-3, attempts 1-1000, body at most 1,000,000 characters); a
 * refused call throws the database's error (its `detail` is the API's error
 * code, its message names the field) and, as any failed statement, leaves
 * the transaction aborted: roll it back. No scopes are checked: whoever may
 * write Hourglass's tables may enqueue. Returns the job descriptors
 * ("<queue>:<id>") in input order.
 */
export async function enqueueInTransaction(
  db: PgQueryable,
  queue: string,
  jobs: EnqueueJob[],
  options: EnqueueOptions = {},
): Promise<string[]> {
  const r = await db.query("SELECT hourglass.enqueue_jobs($1, $2::jsonb, $3) AS descriptor", [
    queue,
    JSON.stringify(jobs),
    options.actor ?? "system:sql",
  ]);
  return r.rows.map((row: { descriptor: string }) => row.descriptor);
}
