import type { Sql } from "@hourglass/db";
import { chainEvents, chainJobEntity, tryPayload } from "./events.ts";

/** The tries' RUNNING job-log rows, over `j` (the jobs as they begin; $3 is now). */
export const TRY_LOG_ROWS = `
  INSERT INTO chain_job_log (request_id, job_id, name, type, try, state, started_at)
  SELECT request_id, id, name, type, total_tries, 'RUNNING', $3 FROM j
  RETURNING id, request_id, job_id`;

/**
 * What a begin returns, over `j` and `log`: each job, its log row, the data
 * its parents passed on (in their id order), and whether its sequence is the
 * request's own.
 */
export const BEGUN_JOBS = `
SELECT j.*, log.id::text AS log_id,
       (SELECT coalesce(jsonb_agg(p.data ORDER BY p.id), '[]') FROM chain_job p
         WHERE p.request_id = j.request_id AND p.id = ANY(j.deps)) AS parent_data,
       (SELECT s.parent_id IS NULL FROM chain_sequence s
         WHERE s.request_id = j.request_id AND s.id = j.sequence_id) AS root_sequence
  FROM j JOIN log ON log.request_id = j.request_id AND log.job_id = j.id`;

/**
 * Tries begin, a batch in one statement (the common case: first deliveries of
 * their queue jobs; a redelivery is relaunchJob.ts): PENDING → RUNNING while
 * the request is RUNNING, each with a RUNNING job-log row and its `began`
 * event. The jobs are locked in key order first, so concurrent batches and
 * stops cannot deadlock on them. A job missing from the result is not in a
 * state to run (a duplicate delivery, a stop, a suspend).
 *   $1 request ids, $2 job ids, $3 now, $4 actor
 */
const SQL = `
WITH locked AS (
  SELECT c.request_id, c.id FROM chain_job c
    JOIN unnest($1::text[], $2::text[]) AS u(request_id, job_id) ON c.request_id = u.request_id AND c.id = u.job_id
   WHERE c.state = 'PENDING'
   ORDER BY c.request_id, c.id
     FOR UPDATE OF c
), j AS (
  UPDATE chain_job j SET state = 'RUNNING', tries = j.tries + 1, total_tries = j.total_tries + 1, started_at = $3,
         finished_at = NULL
    FROM locked l, request r
   WHERE j.request_id = l.request_id AND j.id = l.id AND r.id = j.request_id AND r.state = 'RUNNING'
     AND j.state = 'PENDING'
  RETURNING j.*, r.project, 'PENDING' AS was
), log AS (${TRY_LOG_ROWS}
), ev AS (
  ${chainEvents({
    kind: "chain_job", from: "j", at: "$3", project: "project", entityId: chainJobEntity("request_id", "id"),
    action: "'began'", fromState: "'PENDING'", toState: "'RUNNING'", reason: "''", actor: "$4",
    payload: tryPayload("total_tries"),
  })}
)
${BEGUN_JOBS}`;

/** A chain job as a try of it begins. */
export interface JobRow {
  request_id: string;
  id: string;
  name: string;
  type: string;
  role: string;
  sequence_id: string;
  deps: string[];
  next: string[];
  args: Record<string, unknown>;
  runtime_args: Record<string, string>;
  sets: { arg: string; as: string }[];
  retry: number;
  retry_wait_millis: number;
  tries: number;
  total_tries: number;
  /** Whether the job's sequence is the request's own (its end job ends the request). */
  root_sequence: boolean;
}

export interface BegunJob {
  job: JobRow;
  /** The try's job-log row. */
  logId: string;
  /** What the job's parents passed on, in their id order. */
  parentData: Record<string, unknown>[];
}

export type BegunRow = JobRow & {
  log_id: string;
  parent_data: Record<string, unknown>[];
  project: string;
  was: string;
};

/** The row of BEGUN_JOB as a BegunJob (null: no row, nothing began). */
export function begunJob(row: BegunRow | undefined): BegunJob | null {
  if (!row) return null;
  const { log_id: logId, parent_data: parentData, project: _project, was: _was, ...job } = row;
  return { job, logId, parentData };
}

/**
 * Begins the tries of `jobs` in one statement, prepared once per connection
 * (planning it costs more than running it for one job, the linear chain's
 * case; its plan walks the primary key from the ids given, whatever the
 * states' statistics say). The result is in input order, null where nothing
 * began; a job named twice begins once, for its first entry.
 */
export async function beginJobs(
  sql: Sql, jobs: { requestId: string; jobId: string }[], now: Date, actor: string,
): Promise<(BegunJob | null)[]> {
  const ids = [jobs.map((j) => j.requestId), jobs.map((j) => j.jobId)];
  const r = await sql.query<BegunRow>(SQL, [...ids, now, actor], "hg_chain_begin");
  const byKey = new Map(r.rows.map((row) => [`${row.request_id}/${row.id}`, row]));
  return jobs.map((j) => {
    const key = `${j.requestId}/${j.jobId}`;
    const row = byKey.get(key);
    byKey.delete(key);
    return begunJob(row);
  });
}
