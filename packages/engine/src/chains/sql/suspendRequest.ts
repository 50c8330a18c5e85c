import type { Sql } from "@hourglass/db";
import type { SuspendReason } from "../states.ts";
import { chainEvents } from "./events.ts";

/**
 * RUNNING → SUSPENDED, by an operator or by a worker shutting down mid-try
 * (`suspend_reason` says which, and so who resumes it), with its `suspended`
 * event. Running tries see it and end; their jobs go back to PENDING.
 *   $1 request id, $2 now, $3 suspend reason, $4 event reason, $5 actor
 */
const SQL = `
WITH moved AS (
  UPDATE request SET state = 'SUSPENDED', suspended_at = $2, suspend_reason = $3 WHERE id = $1 AND state = 'RUNNING'
  RETURNING id, project
), ev AS (
  ${chainEvents({
    kind: "request", from: "moved", at: "$2", project: "project", entityId: "id", action: "'suspended'",
    fromState: "'RUNNING'", toState: "'SUSPENDED'", reason: "$4", actor: "$5",
    payload: "jsonb_build_object('suspendReason', $3::text)",
  })}
)
SELECT count(*)::int AS moved FROM moved`;

/** Whether it moved (false: it was not RUNNING). */
export async function suspendRequest(
  sql: Sql, id: string, now: Date, why: SuspendReason, actor: string, reason: string,
): Promise<boolean> {
  const r = await sql.query<{ moved: number }>(SQL, [id, now, why, reason, actor]);
  return r.rows[0]!.moved > 0;
}
