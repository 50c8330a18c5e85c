import { actorOf, EVENT_COLUMNS, JOBS_CHANNEL, JOBS_DUE_CHANNEL, type Queryable } from "./queryable.ts";

/**
 * The columns an enqueue fills, in order; enqueueValues gives a new job's
 * values. The one definition of a new queue job, for this statement and for
 * engine statements that enqueue inside their own (chains/sql/completeJob.ts).
 */
export const ENQUEUE_COLUMNS =
  "queue_name, body, priority, run_after, attempts_allowed, attempts_remaining, custom_status, created_at, updated_at";

/** SQL expressions of one new job. */
export interface EnqueueExprs {
  queue: string;
  body: string;
  priority: string;
  runAfter: string;
  attempts: string;
  customStatus: string;
  now: string;
}

/** The values of ENQUEUE_COLUMNS: the attempts fill both attempt counters, `now` both timestamps. */
export const enqueueValues = (e: EnqueueExprs) =>
  `${e.queue}, ${e.body}, ${e.priority}, ${e.runAfter}, ${e.attempts}, ${e.attempts}, ${e.customStatus}, ${e.now}, ${e.now}`;

/** The `enqueued` events of the jobs in `ins` (a CTE returning id) of queue `queue`; `actor` is an SQL text. */
export const enqueuedEvents = (ins: string, queue: string, now: string, actor: string) => `
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT ${now}, coalesce((SELECT project FROM queue WHERE name = ${queue}), 'default'), 'queue_job', ${ins}.id::text,
         'enqueued', NULL, 'PENDING', '', ${actor}, NULL
    FROM ${ins}`;

/**
 * Inserts a batch of jobs and their `enqueued` events in one statement and,
 * when any is due now, wakes listening workers; when some are due later,
 * tells them when the earliest is, so they wake then instead of at their next
 * poll. Ids come back in input order (one sequence, one statement, ORDER BY
 * ord). A missing queue fails the foreign key (23503). Run on a caller's
 * transaction, the jobs commit or roll back with the caller's own rows.
 */
const SQL = `
WITH input AS (
  SELECT * FROM unnest($2::text[], $3::smallint[], $4::timestamptz[], $5::int[], $6::text[])
    WITH ORDINALITY AS t(body, priority, run_after, attempts, custom_status, ord)
), ins AS (
  INSERT INTO queue_job (${ENQUEUE_COLUMNS})
  SELECT ${enqueueValues({
    queue: "$1", body: "body", priority: "priority", runAfter: "coalesce(run_after, $7)",
    attempts: "attempts", customStatus: "custom_status", now: "$7",
  })}
    FROM input ORDER BY ord
  RETURNING id, run_after
), ev AS (${enqueuedEvents("ins", "$1", "$7", actorOf("$8::text"))}
)
SELECT id::text AS id,
       (SELECT count(pg_notify('${JOBS_CHANNEL}', $1)) FROM (SELECT 1 FROM ins WHERE run_after <= $7 LIMIT 1) due)::int AS notified,
       (SELECT count(pg_notify('${JOBS_DUE_CHANNEL}', (extract(epoch FROM later.at) * 1000)::bigint || ':' || $1))
          FROM (SELECT min(run_after) AS at FROM ins WHERE run_after > $7) later WHERE later.at IS NOT NULL)::int AS notified_later
  FROM ins ORDER BY ins.id`;

export interface NewJob {
  body: string;
  priority: number;
  runAfter: Date | null;
  attemptsAllowed: number;
  customStatus: string;
}

export async function enqueueJobs(db: Queryable, queueName: string, jobs: NewJob[], now: Date, by: string): Promise<string[]> {
  const r = await db.query<{ id: string }>(SQL, [
    queueName,
    jobs.map((j) => j.body),
    jobs.map((j) => j.priority),
    jobs.map((j) => j.runAfter),
    jobs.map((j) => j.attemptsAllowed),
    jobs.map((j) => j.customStatus),
    now,
    by,
  ], "hg_enqueue_jobs");
  return r.rows.map((row) => row.id);
}
