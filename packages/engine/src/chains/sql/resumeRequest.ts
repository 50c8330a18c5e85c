import type { Sql } from "@hourglass/db";
import { chainEvents } from "./events.ts";

/**
 * SUSPENDED → RUNNING (an operator, or any worker for a request a shutdown
 * suspended), with its `resumed` event. Returns the request's failed-job
 * count: with one, the caller fails it instead of dispatching (failIdleRequest).
 *   $1 request id, $2 now, $3 reason, $4 actor
 */
const SQL = `
WITH moved AS (
  UPDATE request SET state = 'RUNNING', suspended_at = NULL, suspend_reason = NULL WHERE id = $1 AND state = 'SUSPENDED'
  RETURNING id, project, failed_jobs
), ev AS (
  ${chainEvents({
    kind: "request", from: "moved", at: "$2", project: "project", entityId: "id", action: "'resumed'",
    fromState: "'SUSPENDED'", toState: "'RUNNING'", reason: "$3", actor: "$4", payload: "NULL",
  })}
)
SELECT failed_jobs FROM moved`;

/** Its failed-job count, or null when it did not move (it was not SUSPENDED). */
export async function resumeRequest(
  sql: Sql, id: string, now: Date, actor: string, reason: string,
): Promise<number | null> {
  const r = await sql.query<{ failed_jobs: number }>(SQL, [id, now, reason, actor]);
  return r.rows[0]?.failed_jobs ?? null;
}
