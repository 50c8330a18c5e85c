import type { Sql } from "@hourglass/db";
import { BEGUN_JOBS, begunJob, TRY_LOG_ROWS, type BegunRow } from "./beginJob.ts";
import { chainEvents, chainJobEntity, tryPayload } from "./events.ts";

/**
 * A try begins on a redelivery of its queue job (the earlier claim lapsed, so
 * that worker died): a try still RUNNING in the job log was lost with it — it
 * is logged as FAIL and the job, still RUNNING, begins its next try (RUNNING
 * → RUNNING, its `began` event says which try was lost); a job still PENDING
 * (its worker died before the try began) begins as usual. The request must be
 * RUNNING. Returns what beginJobs does for one job.
 *   $1 request id, $2 job id, $3 now, $4 actor
 */
const SQL = `
WITH lost AS (
  UPDATE chain_job_log SET state = 'FAIL', finished_at = $3, error = 'try lost: its worker stopped without finishing it'
   WHERE request_id = $1 AND job_id = $2 AND state = 'RUNNING'
  RETURNING try
), j AS (
  UPDATE chain_job j SET state = 'RUNNING', tries = j.tries + 1, total_tries = j.total_tries + 1, started_at = $3,
         finished_at = NULL
    FROM request r, (SELECT state::text AS state FROM chain_job WHERE request_id = $1 AND id = $2 FOR UPDATE) old
   WHERE j.request_id = $1 AND j.id = $2 AND r.id = j.request_id AND r.state = 'RUNNING'
     AND (j.state = 'PENDING' OR (j.state = 'RUNNING' AND EXISTS (SELECT 1 FROM lost)))
  RETURNING j.*, r.project, old.state AS was
), log AS (${TRY_LOG_ROWS}
), ev AS (
  ${chainEvents({
    kind: "chain_job", from: "j", at: "$3", project: "project", entityId: chainJobEntity("request_id", "id"),
    action: "'began'", fromState: "was", toState: "'RUNNING'",
    reason: "CASE WHEN was = 'RUNNING' THEN 'try ' || (total_tries - 1) || ' was lost with its worker' ELSE '' END",
    actor: "$4", payload: tryPayload("total_tries"),
  })}
)
${BEGUN_JOBS}`;

export async function relaunchJob(sql: Sql, t: { requestId: string; jobId: string }, now: Date, actor: string) {
  return begunJob((await sql.query<BegunRow>(SQL, [t.requestId, t.jobId, now, actor])).rows[0]);
}
