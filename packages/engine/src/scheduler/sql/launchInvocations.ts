import type { Sql } from "@hourglass/db";
import { DEBUG_LOG_LIMIT } from "../host/debug-log.ts";
import { EVENT_COLUMNS, projectOfSql } from "./events.ts";

/** An invocation's task and triggers, as the worker that launched it runs them. */
export interface StartedInvocation {
  id: string;
  job_key: string;
  task: unknown;
  incoming_triggers: unknown;
}

/**
 * STARTING / RETRYING → RUNNING for a batch, guarded, with one `launched`
 * event each. The state it left is told by retry_count: only RUNNING →
 * RETRYING raises it (sql/retryInvocation.ts), so STARTING has 0 and
 * RETRYING more.
 */
const SQL = `
WITH moved AS (
  UPDATE scheduler_invocation i SET state = 'RUNNING', debug_log = right(i.debug_log || u.line, ${DEBUG_LOG_LIMIT})
    FROM unnest($1::bigint[], $2::text[]) AS u(id, line)
   WHERE i.id = u.id AND i.state IN ('STARTING', 'RETRYING')
  RETURNING i.id, i.job_key, i.task, i.incoming_triggers, i.retry_count
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $3, ${projectOfSql("job_key")}, 'invocation', id::text, 'launched',
         CASE WHEN retry_count = 0 THEN 'STARTING' ELSE 'RETRYING' END, 'RUNNING',
         CASE WHEN retry_count = 0 THEN '' ELSE 'relaunch ' || retry_count END, $4, jsonb_build_object('job', job_key)
    FROM moved
)
SELECT id::text AS id, job_key, task, incoming_triggers FROM moved`;

/** Launches a batch; null for an invocation no longer STARTING or RETRYING (aborted, or launched by another). */
export async function launchInvocations(
  sql: Sql, now: Date, items: { id: string; line: string }[], actor: string,
): Promise<(StartedInvocation | null)[]> {
  const r = await sql.query<StartedInvocation>(
    SQL, [items.map((i) => i.id), items.map((i) => i.line), now, actor], "hg_invocations_launch");
  const byId = new Map(r.rows.map((row) => [row.id, row]));
  return items.map((i) => byId.get(i.id) ?? null);
}
