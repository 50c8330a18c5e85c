import type { Sql } from "@hourglass/db";
import { DEBUG_LOG_LIMIT } from "../host/debug-log.ts";
import { EVENT_COLUMNS, projectOfSql } from "./events.ts";

/**
 * RUNNING → RETRYING: the launch that ran it was lost (its worker died and its
 * carrier ran again). Guarded by the state and the retry count the caller
 * read, so two carriers that find the same lost launch retry it once; raises
 * retry_count and appends the debug-log line and a `retrying` event.
 */
const SQL = `
WITH moved AS (
  UPDATE scheduler_invocation SET state = 'RETRYING', retry_count = retry_count + 1,
         debug_log = right(debug_log || $3, ${DEBUG_LOG_LIMIT})
   WHERE id = $1 AND state = 'RUNNING' AND retry_count = $2
  RETURNING id, job_key, retry_count
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $4, ${projectOfSql("job_key")}, 'invocation', id::text, 'retrying', 'RUNNING', 'RETRYING', $5, $6,
         jsonb_build_object('job', job_key, 'retry', retry_count)
    FROM moved
)
SELECT id::text AS id FROM moved`;

/** Whether it moved (false: it is no longer RUNNING with that retry count). */
export async function retryInvocation(
  sql: Sql, now: Date, id: string, retryCount: number, line: string, reason: string, actor: string,
): Promise<boolean> {
  const r = await sql.query(SQL, [id, retryCount, line, now, reason, actor]);
  return (r.rowCount ?? 0) > 0;
}
