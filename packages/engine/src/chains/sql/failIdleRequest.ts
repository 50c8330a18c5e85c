import type { Sql } from "@hourglass/db";
import { chainEvents } from "./events.ts";

/**
 * RUNNING → FAIL once none of its jobs runs any more: a job failed for good
 * (nothing new starts after that; the request fails when the last running
 * try ends). Call holding the request row.
 *   $1 request id, $2 now, $3 actor
 */
const SQL = `
WITH moved AS (
  UPDATE request SET state = 'FAIL', finished_at = $2
   WHERE id = $1 AND state = 'RUNNING'
     AND NOT EXISTS (SELECT 1 FROM chain_job WHERE request_id = $1 AND state = 'RUNNING')
  RETURNING id, project, failed_jobs, invocation_id::text AS invocation_id
), ev AS (
  ${chainEvents({
    kind: "request", from: "moved", at: "$2", project: "project", entityId: "id", action: "'failed'",
    fromState: "'RUNNING'", toState: "'FAIL'", reason: "'a job failed with no retries left'", actor: "$3",
    payload: "jsonb_build_object('failedJobs', failed_jobs)",
  })}
)
SELECT invocation_id FROM moved`;

/** Whether it moved, and the scheduler invocation that started it. */
export async function failIdleRequest(sql: Sql, id: string, now: Date, actor: string) {
  const r = await sql.query<{ invocation_id: string | null }>(SQL, [id, now, actor]);
  return { moved: r.rows.length > 0, invocationId: r.rows[0]?.invocation_id ?? null };
}
