import { actorOf, EVENT_COLUMNS, JOBS_CHANNEL, JOBS_DUE_CHANNEL, type Queryable } from "./queryable.ts";

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
  INSERT INTO queue_job (queue_name, body, priority, run_after, attempts_allowed, attempts_remaining,
                         custom_status, created_at, updated_at)
  SELECT $1, body, priority, coalesce(run_after, $7), attempts, attempts, custom_status, $7, $7
    FROM input ORDER BY ord
  RETURNING id, run_after
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $7, coalesce((SELECT project FROM queue WHERE name = $1), 'default'), 'queue_job', ins.id::text, 'enqueued',
         NULL, 'PENDING', '', ${actorOf("$8::text")}, NULL
    FROM ins
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
