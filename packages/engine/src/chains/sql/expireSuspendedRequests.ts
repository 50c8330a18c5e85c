import type { Sql } from "@hourglass/db";
import { chainEvents } from "./events.ts";

/**
 * SUSPENDED → FAIL for requests suspended since before $2 (Spin Cycle's
 * suspended job chain TTL), at most $3 of them, skipping rows another worker
 * holds, with an `expired` event each.
 *   $1 now, $2 suspended before, $3 limit, $4 reason, $5 actor
 */
const SQL = `
WITH due AS (
  SELECT id FROM request WHERE state = 'SUSPENDED' AND suspended_at < $2 ORDER BY suspended_at LIMIT $3
     FOR UPDATE SKIP LOCKED
), moved AS (
  UPDATE request r SET state = 'FAIL', finished_at = $1 FROM due WHERE r.id = due.id AND r.state = 'SUSPENDED'
  RETURNING r.id, r.project, r.invocation_id::text AS invocation_id
), ev AS (
  ${chainEvents({
    kind: "request", from: "moved", at: "$1", project: "project", entityId: "id", action: "'expired'",
    fromState: "'SUSPENDED'", toState: "'FAIL'", reason: "$4", actor: "$5", payload: "NULL",
  })}
)
SELECT id, invocation_id FROM moved`;

export async function expireSuspendedRequests(
  sql: Sql, now: Date, before: Date, limit: number, actor: string, reason: string,
): Promise<{ id: string; invocationId: string | null }[]> {
  const r = await sql.query<{ id: string; invocation_id: string | null }>(SQL, [now, before, limit, reason, actor]);
  return r.rows.map((row) => ({ id: row.id, invocationId: row.invocation_id }));
}
