import type { Sql } from "@hourglass/db";
import { chainEvents, chainJobEntity, tryPayload } from "./events.ts";

/**
 * FAIL → RUNNING, from the failed jobs (an operator's "retry from the failed
 * job"): its FAIL jobs go back to PENDING with their own retries restored
 * (tries 0; the job log keeps every try and their try numbers count on),
 * waiting again only for parents not COMPLETE; completed jobs stay
 * complete. Its failed-job count drops to 0. One `retried` event for the
 * request, one `reset` for each job. The caller dispatches the ready jobs.
 * Call holding the request row (lockRequest).
 *   $1 request id, $2 now, $3 reason, $4 actor
 */
const SQL = `
WITH moved AS (
  UPDATE request SET state = 'RUNNING', finished_at = NULL, failed_jobs = 0 WHERE id = $1 AND state = 'FAIL'
  RETURNING id, project
), old_jobs AS (
  SELECT request_id, id FROM chain_job
   WHERE request_id = $1 AND state = 'FAIL' AND EXISTS (SELECT 1 FROM moved)
   ORDER BY id
     FOR UPDATE
), reset AS (
  UPDATE chain_job j SET state = 'PENDING', tries = 0, finished_at = NULL,
         waiting_deps = (SELECT count(*) FROM chain_job p WHERE p.request_id = $1 AND p.id = ANY(j.deps) AND p.state <> 'COMPLETE')
    FROM old_jobs o WHERE j.request_id = o.request_id AND j.id = o.id
  RETURNING j.request_id, j.id, j.total_tries
), ev AS (
  ${chainEvents({
    kind: "request", from: "moved", at: "$2", project: "project", entityId: "id", action: "'retried'",
    fromState: "'FAIL'", toState: "'RUNNING'", reason: "$3", actor: "$4",
    payload: "jsonb_build_object('jobs', (SELECT count(*) FROM reset))",
  })}
), job_ev AS (
  ${chainEvents({
    kind: "chain_job", from: "reset, moved", at: "$2", project: "moved.project",
    entityId: chainJobEntity("reset.request_id", "reset.id"), action: "'reset'", fromState: "'FAIL'",
    toState: "'PENDING'", reason: "'its request is retried from its failed jobs'", actor: "$4",
    payload: tryPayload("reset.total_tries"),
  })}
)
SELECT (SELECT count(*) FROM reset)::int AS jobs FROM moved`;

/** How many failed jobs it reset, or null when it did not move (the request had not failed). */
export async function retryRequest(sql: Sql, id: string, now: Date, actor: string, reason: string): Promise<number | null> {
  const r = await sql.query<{ jobs: number }>(SQL, [id, now, reason, actor]);
  return r.rows[0]?.jobs ?? null;
}
