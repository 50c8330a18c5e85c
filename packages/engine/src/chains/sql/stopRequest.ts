import type { Sql } from "@hourglass/db";
import { STOPPABLE_REQUEST_STATES } from "../states.ts";
import { chainEvents, chainJobEntity, tryPayload } from "./events.ts";

/**
 * PENDING / RUNNING / SUSPENDED → STOPPED (an operator stops it, or its
 * scheduler invocation was aborted): its PENDING and RUNNING jobs become
 * STOPPED too (a running try sees it and is killed), locked in key order as
 * beginJobs locks them. One event for the request and one for each job that
 * moved.
 *   $1 request id, $2 now, $3 reason, $4 actor, $5 the states it may be stopped in
 */
const SQL = `
WITH old AS (
  SELECT id, state::text AS state FROM request WHERE id = $1 AND state::text = ANY($5::text[]) FOR UPDATE
), moved AS (
  UPDATE request r SET state = 'STOPPED', finished_at = $2 FROM old WHERE r.id = old.id
  RETURNING r.id, r.project, old.state AS was, r.invocation_id::text AS invocation_id
), old_jobs AS (
  SELECT request_id, id, state::text AS state FROM chain_job
   WHERE request_id = $1 AND state IN ('PENDING', 'RUNNING') AND EXISTS (SELECT 1 FROM old)
   ORDER BY id
     FOR UPDATE
), jobs AS (
  UPDATE chain_job j SET state = 'STOPPED', finished_at = $2
    FROM old_jobs o WHERE j.request_id = o.request_id AND j.id = o.id
  RETURNING j.request_id, j.id, j.total_tries, o.state AS was
), ev AS (
  ${chainEvents({
    kind: "request", from: "moved", at: "$2", project: "project", entityId: "id", action: "'stopped'",
    fromState: "was", toState: "'STOPPED'", reason: "$3", actor: "$4", payload: "NULL",
  })}
), job_ev AS (
  ${chainEvents({
    kind: "chain_job", from: "jobs, moved", at: "$2", project: "moved.project",
    entityId: chainJobEntity("jobs.request_id", "jobs.id"), action: "'stopped'", fromState: "jobs.was",
    toState: "'STOPPED'", reason: "'its request was stopped'", actor: "$4", payload: tryPayload("jobs.total_tries"),
  })}
)
SELECT was, invocation_id FROM moved`;

/** The state it was stopped in and its invocation, or null when it was not in a state to stop. */
export async function stopRequest(sql: Sql, id: string, now: Date, actor: string, reason: string) {
  const r = await sql.query<{ was: string; invocation_id: string | null }>(
    SQL, [id, now, reason, actor, STOPPABLE_REQUEST_STATES]);
  const row = r.rows[0];
  return row ? { was: row.was, invocationId: row.invocation_id } : null;
}
