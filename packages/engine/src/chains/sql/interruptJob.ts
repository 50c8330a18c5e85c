import type { Sql } from "@hourglass/db";
import { chainEvents, chainJobEntity, tryPayload } from "./events.ts";

/**
 * RUNNING → PENDING: a try was cut short by its request's suspend or by its
 * worker shutting down; the try does not count against the job's retries,
 * and a resume runs it again. With its `interrupted` event. A stop has
 * already made the job STOPPED, so then nothing matches and nothing is written.
 *   $1 request id, $2 job id, $3 try, $4 now, $5 reason, $6 actor
 */
const SQL = `
WITH moved AS (
  UPDATE chain_job SET state = 'PENDING', tries = tries - 1, finished_at = $4
   WHERE request_id = $1 AND id = $2 AND state = 'RUNNING' AND total_tries = $3
  RETURNING request_id, id
), ev AS (
  ${chainEvents({
    kind: "chain_job", from: "moved JOIN request r ON r.id = moved.request_id", at: "$4", project: "r.project",
    entityId: chainJobEntity("moved.request_id", "moved.id"), action: "'interrupted'", fromState: "'RUNNING'",
    toState: "'PENDING'", reason: "$5", actor: "$6", payload: tryPayload("$3::int"),
  })}
)
SELECT count(*)::int AS moved FROM moved`;

/** Whether it moved. */
export async function interruptJob(
  sql: Sql, t: { requestId: string; jobId: string; try: number }, now: Date, actor: string, reason: string,
): Promise<boolean> {
  const r = await sql.query<{ moved: number }>(SQL, [t.requestId, t.jobId, t.try, now, reason, actor]);
  return r.rows[0]!.moved > 0;
}
