import type { Sql } from "@hourglass/db";
import { chainEvents, chainJobEntity, tryPayload } from "./events.ts";

/**
 * A chain job's try begins: PENDING → RUNNING while its request is RUNNING,
 * with a RUNNING job-log row and its `began` event. On a redelivery ($4: the
 * queue job's earlier claim lapsed, so its worker died) a try still RUNNING
 * in the job log was lost: it is logged as FAIL and the job, still RUNNING,
 * begins its next try (RUNNING → RUNNING). Returns the job, its project, the
 * log row's id, the data its parents passed on (in id order) and whether its
 * sequence is the request's own. No row: the job or request is not in a
 * state to run it (a duplicate delivery of a running job, a stop, a suspend).
 *   $1 request id, $2 job id, $3 now, $4 redelivered, $5 actor
 */
export const BEGIN_JOB_SQL = `
WITH lost AS (
  UPDATE chain_job_log SET state = 'FAIL', finished_at = $3, error = 'try lost: its worker stopped without finishing it'
   WHERE $4::boolean AND request_id = $1 AND job_id = $2 AND state = 'RUNNING'
  RETURNING try
), j AS (
  UPDATE chain_job j SET state = 'RUNNING', tries = j.tries + 1, total_tries = j.total_tries + 1, started_at = $3,
         finished_at = NULL
    FROM request r, (SELECT state::text AS state FROM chain_job WHERE request_id = $1 AND id = $2 FOR UPDATE) old
   WHERE j.request_id = $1 AND j.id = $2 AND r.id = j.request_id AND r.state = 'RUNNING'
     AND (j.state = 'PENDING' OR (j.state = 'RUNNING' AND EXISTS (SELECT 1 FROM lost)))
  RETURNING j.*, r.project, old.state AS was
), log AS (
  INSERT INTO chain_job_log (request_id, job_id, name, type, try, state, started_at)
  SELECT request_id, id, name, type, total_tries, 'RUNNING', $3 FROM j
  RETURNING id
), ev AS (
  ${chainEvents({
    kind: "chain_job", from: "j", at: "$3", project: "project", entityId: chainJobEntity("request_id", "id"),
    action: "'began'", fromState: "was", toState: "'RUNNING'",
    reason: "CASE WHEN was = 'RUNNING' THEN 'try ' || (total_tries - 1) || ' was lost with its worker' ELSE '' END",
    actor: "$5", payload: tryPayload("total_tries"),
  })}
)
SELECT j.*, (SELECT id::text FROM log) AS log_id,
       (SELECT coalesce(jsonb_agg(p.data ORDER BY p.id), '[]') FROM chain_job p
         WHERE p.request_id = j.request_id AND p.id = ANY(j.deps)) AS parent_data,
       (SELECT s.parent_id IS NULL FROM chain_sequence s
         WHERE s.request_id = j.request_id AND s.id = j.sequence_id) AS root_sequence
  FROM j`;

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

/**
 * Begins a try (BEGIN_JOB_SQL; on the pool, prepared once per connection);
 * null when the job or its request is not in a state to run it.
 */
export async function beginJob(
  sql: Sql, t: { requestId: string; jobId: string; redelivered: boolean }, now: Date, actor: string,
): Promise<BegunJob | null> {
  type Row = JobRow & { log_id: string; parent_data: Record<string, unknown>[]; project: string; was: string };
  const row = (await sql.query<Row>(BEGIN_JOB_SQL, [t.requestId, t.jobId, now, t.redelivered, actor], "hg_chain_begin"))
    .rows[0];
  if (!row) return null;
  const { log_id: logId, parent_data: parentData, project: _project, was: _was, ...job } = row;
  return { job, logId, parentData };
}
