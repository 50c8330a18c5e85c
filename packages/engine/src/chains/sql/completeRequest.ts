import type { Sql } from "@hourglass/db";
import { chainEvents } from "./events.ts";

/**
 * RUNNING → COMPLETE: its last job (the end job of its own sequence)
 * completed. Run in the transaction of that job's completion.
 *   $1 request id, $2 now, $3 actor
 */
const SQL = `
WITH moved AS (
  UPDATE request SET state = 'COMPLETE', finished_at = $2 WHERE id = $1 AND state = 'RUNNING'
  RETURNING id, project, invocation_id::text AS invocation_id
), ev AS (
  ${chainEvents({
    kind: "request", from: "moved", at: "$2", project: "project", entityId: "id", action: "'completed'",
    fromState: "'RUNNING'", toState: "'COMPLETE'", reason: "'every job completed'", actor: "$3", payload: "NULL",
  })}
)
SELECT invocation_id FROM moved`;

/** Whether it moved, and the scheduler invocation that started it. */
export async function completeRequest(sql: Sql, id: string, now: Date, actor: string) {
  const r = await sql.query<{ invocation_id: string | null }>(SQL, [id, now, actor]);
  return { moved: r.rows.length > 0, invocationId: r.rows[0]?.invocation_id ?? null };
}
