import type { Sql } from "@hourglass/db";
import { chainJobCarrierSql } from "../../queue/carriers.ts";
import { ENQUEUE_COLUMNS, enqueuedEvents, enqueueValues } from "../../queue/internal.ts";
import { JOBS_CHANNEL } from "../../queue/sql/queryable.ts";
import { chainEvents, chainJobEntity, tryPayload } from "./events.ts";

/** How chain jobs ride the internal queue (dispatch and the completion below agree). */
export const CHAIN_QUEUE_JOB = { priority: 2, attempts: 5 } as const;

/**
 * A chain job's try succeeded, in one statement (the hot path of every
 * chain): lock the request row (completions of one request apply one at a
 * time; the lock returns its newest state), log the try, RUNNING → COMPLETE
 * guarded by the try number with its `completed` event, progress + 1, count
 * the completion down in each child, and, while the request is RUNNING with
 * no failed job, enqueue the children left with no parent waiting (their
 * `enqueued` events too, waking workers). Returns the request's state and
 * failed-job count as locked, and whether the job completed (not when a stop
 * or sequence retry got there first).
 *   $1 request id, $2 job id, $3 try (total_tries), $4 now, $5 data,
 *   $6 log row id, $7 exit code, $8 stdout, $9 stderr, $10 child job ids,
 *   $11 chains queue name, $12 actor
 */
export const COMPLETE_JOB_SQL = `
WITH r AS (
  SELECT state::text AS state, failed_jobs, project FROM request WHERE id = $1 FOR UPDATE
), log AS (
  UPDATE chain_job_log SET state = 'COMPLETE', finished_at = $4, exit_code = $7, stdout = $8, stderr = $9 WHERE id = $6
), j AS (
  UPDATE chain_job SET state = 'COMPLETE', finished_at = $4, data = $5
   WHERE request_id = $1 AND id = $2 AND state = 'RUNNING' AND total_tries = $3 AND EXISTS (SELECT 1 FROM r)
  RETURNING id
), job_ev AS (
  ${chainEvents({
    kind: "chain_job", from: "j, r", at: "$4", project: "r.project", entityId: chainJobEntity("$1", "j.id"),
    action: "'completed'", fromState: "'RUNNING'", toState: "'COMPLETE'", reason: "''", actor: "$12",
    payload: tryPayload("$3::int", ["exitCode", "$7::int"]),
  })}
), progress AS (
  UPDATE request SET finished_jobs = finished_jobs + 1 WHERE id = $1 AND EXISTS (SELECT 1 FROM j)
), children AS (
  UPDATE chain_job SET waiting_deps = waiting_deps - 1
   WHERE request_id = $1 AND id = ANY($10::text[]) AND EXISTS (SELECT 1 FROM j)
  RETURNING id, waiting_deps, state
), ready AS (
  INSERT INTO queue_job (${ENQUEUE_COLUMNS})
  SELECT ${enqueueValues({
    queue: "$11", body: chainJobCarrierSql("$1", "c.id"), priority: `${CHAIN_QUEUE_JOB.priority}`, runAfter: "$4",
    attempts: `${CHAIN_QUEUE_JOB.attempts}`, customStatus: "$1", now: "$4",
  })}
    FROM children c, r
   WHERE c.waiting_deps = 0 AND c.state = 'PENDING' AND r.state = 'RUNNING' AND r.failed_jobs = 0
  RETURNING id
), ready_events AS (${enqueuedEvents("ready", "$11", "$4", "$12")}
)
SELECT (SELECT state FROM r) AS state, (SELECT failed_jobs FROM r) AS failed_jobs,
       EXISTS (SELECT 1 FROM j) AS completed,
       (SELECT count(pg_notify('${JOBS_CHANNEL}', $11)) FROM (SELECT 1 FROM ready LIMIT 1) due)::int AS notified`;

/** A try that succeeded, as COMPLETE_JOB_SQL applies it. */
export interface SucceededTry {
  requestId: string;
  jobId: string;
  /** The try's number (chain_job.total_tries when it began). */
  try: number;
  /** What the job passes on: its parents' data and what it set. */
  data: Record<string, unknown>;
  logId: string;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** The job's children. */
  next: string[];
}

/** Applies a successful try (COMPLETE_JOB_SQL; on the pool, prepared once per connection). */
export async function completeJob(
  sql: Sql, t: SucceededTry, now: Date, queueName: string, actor: string,
): Promise<{ state: string; failedJobs: number; completed: boolean }> {
  const values = [t.requestId, t.jobId, t.try, now, JSON.stringify(t.data), t.logId, t.exitCode, t.stdout, t.stderr,
    t.next, queueName, actor];
  const r = (await sql.query<{ state: string; failed_jobs: number; completed: boolean }>(
    COMPLETE_JOB_SQL, values, "hg_chain_complete")).rows[0]!;
  return { state: r.state, failedJobs: r.failed_jobs, completed: r.completed };
}
