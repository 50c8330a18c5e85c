import type { Sql } from "@hourglass/db";
import { chainEvents, chainJobEntity, tryPayload } from "./events.ts";
import type { EndedTry } from "./tryFailed.ts";

/**
 * RUNNING → FAIL: a try failed with no job or sequence retries left (or its
 * request no longer runs), with its `failed` event; the request counts the
 * failed job (nothing new starts; failIdleRequest ends it once no try runs).
 * Guarded by the try number.
 *   $1 request id, $2 job id, $3 try, $4 now, $5 reason, $6 actor, $7 exit code
 */
const SQL = `
WITH moved AS (
  UPDATE chain_job SET state = 'FAIL', finished_at = $4
   WHERE request_id = $1 AND id = $2 AND state = 'RUNNING' AND total_tries = $3
  RETURNING request_id, id
), counted AS (
  UPDATE request SET failed_jobs = failed_jobs + 1 WHERE id = $1 AND EXISTS (SELECT 1 FROM moved)
  RETURNING project
), ev AS (
  ${chainEvents({
    kind: "chain_job", from: "moved, counted", at: "$4", project: "counted.project",
    entityId: chainJobEntity("moved.request_id", "moved.id"), action: "'failed'", fromState: "'RUNNING'",
    toState: "'FAIL'", reason: "$5", actor: "$6", payload: tryPayload("$3::int", ["exitCode", "$7::int"]),
  })}
)
SELECT count(*)::int AS moved FROM moved`;

/** Whether it moved. */
export async function failJob(sql: Sql, t: EndedTry, now: Date, actor: string, reason: string): Promise<boolean> {
  const r = await sql.query<{ moved: number }>(SQL, [t.requestId, t.jobId, t.try, now, reason, actor, t.exitCode]);
  return r.rows[0]!.moved > 0;
}
