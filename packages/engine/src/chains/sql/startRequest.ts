import type { Sql } from "@hourglass/db";
import { chainEvents } from "./events.ts";

/**
 * PENDING → RUNNING (an operator, or the scheduler invocation that created it,
 * starts it), with its `started` event.
 *   $1 request id, $2 now, $3 reason, $4 actor
 */
const SQL = `
WITH moved AS (
  UPDATE request SET state = 'RUNNING', started_at = $2 WHERE id = $1 AND state = 'PENDING'
  RETURNING id, project
), ev AS (
  ${chainEvents({
    kind: "request", from: "moved", at: "$2", project: "project", entityId: "id", action: "'started'",
    fromState: "'PENDING'", toState: "'RUNNING'", reason: "$3", actor: "$4", payload: "NULL",
  })}
)
SELECT count(*)::int AS moved FROM moved`;

/** Whether it moved (false: it was not PENDING). */
export async function startRequest(sql: Sql, id: string, now: Date, actor: string, reason: string): Promise<boolean> {
  const r = await sql.query<{ moved: number }>(SQL, [id, now, reason, actor]);
  return r.rows[0]!.moved > 0;
}
