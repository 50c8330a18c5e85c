import type { Sql } from "@hourglass/db";
import { chainEvents, chainJobEntity, tryPayload } from "./events.ts";

/**
 * RUNNING → PENDING: a try failed and the job has retries left (the caller
 * dispatches it again after its retry wait), with its `try-failed` event.
 * Guarded by the try number, so a stop or sequence retry that got there
 * first wins.
 *   $1 request id, $2 job id, $3 try (total_tries), $4 now, $5 reason, $6 actor, $7 exit code, $8 retry wait ms
 */
const SQL = `
WITH moved AS (
  UPDATE chain_job SET state = 'PENDING', finished_at = $4
   WHERE request_id = $1 AND id = $2 AND state = 'RUNNING' AND total_tries = $3
  RETURNING request_id, id
), ev AS (
  ${chainEvents({
    kind: "chain_job", from: "moved JOIN request r ON r.id = moved.request_id", at: "$4", project: "r.project",
    entityId: chainJobEntity("moved.request_id", "moved.id"), action: "'try-failed'", fromState: "'RUNNING'",
    toState: "'PENDING'", reason: "$5", actor: "$6",
    payload: tryPayload("$3::int", ["exitCode", "$7::int"], ["retryInMillis", "$8::int"]),
  })}
)
SELECT count(*)::int AS moved FROM moved`;

export interface EndedTry {
  requestId: string;
  jobId: string;
  /** The try's number (chain_job.total_tries when it began). */
  try: number;
  exitCode: number | null;
}

/** Whether it moved. */
export async function tryFailed(
  sql: Sql, t: EndedTry, now: Date, retryInMillis: number, actor: string, reason: string,
): Promise<boolean> {
  const r = await sql.query<{ moved: number }>(
    SQL, [t.requestId, t.jobId, t.try, now, reason, actor, t.exitCode, retryInMillis]);
  return r.rows[0]!.moved > 0;
}
