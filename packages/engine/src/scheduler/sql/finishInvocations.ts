import type { Sql } from "@hourglass/db";
import { DEBUG_LOG_LIMIT } from "../host/debug-log.ts";
import type { FinalInvocationState, InvocationState } from "../invocation-states.ts";
import { EVENT_COLUMNS, projectOfSql } from "./events.ts";

/** One invocation to end, guarded by the states it may be in. */
export interface InvocationEnd {
  id: string;
  to: FinalInvocationState;
  from: readonly InvocationState[];
  /** Who aborted it, kept as aborted_by. */
  abortedBy?: string;
  /** Debug-log text to append (whole lines). */
  log: string;
  /** The task run that ended it (JSON of a TaskRun), appended to task_runs. */
  run?: string;
  /** Its event's actor and reason. */
  actor: string;
  reason: string;
}

/**
 * Ends invocations: each moves to its final state only from one of its
 * `from` states, and appends its event (`succeeded`, `failed` or `aborted`,
 * from the state it left). An end with one `from` state (a task that ran to
 * its end) knows the state it leaves; one with several (an abort) reads and
 * locks it first, so the event names the state the row really left even
 * when a launch moved it meanwhile.
 */
const SQL = `
WITH u AS (
  SELECT * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
    AS u(id, target, origins, aborted_by, log, run, actor, reason)
), cur AS (
  SELECT i.id, i.state::text AS state FROM scheduler_invocation i, u
   WHERE i.id = u.id AND strpos(u.origins, ',') > 0 AND i.state::text = ANY(string_to_array(u.origins, ','))
     FOR UPDATE OF i
), moved AS (
  UPDATE scheduler_invocation i SET state = u.target::"InvocationState", finished_at = $1, aborted_by = u.aborted_by,
         debug_log = right(i.debug_log || u.log, ${DEBUG_LOG_LIMIT}),
         task_runs = CASE WHEN u.run IS NULL THEN i.task_runs ELSE i.task_runs || jsonb_build_array(u.run::jsonb) END
    FROM u LEFT JOIN cur ON cur.id = u.id
   WHERE i.id = u.id
     AND i.state::text = coalesce(cur.state, CASE WHEN strpos(u.origins, ',') = 0 THEN u.origins END)
  RETURNING i.id, i.job_key, coalesce(cur.state, u.origins) AS from_state, u.target, u.actor, u.reason,
            i.properties->>'backfill' AS backfill
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $1, ${projectOfSql("job_key")}, 'invocation', id::text, lower(target), from_state, target, reason, actor,
         jsonb_build_object('job', job_key)
    FROM moved
)
SELECT id::text AS id, backfill FROM moved`;

/** An invocation that ended, and the backfill it belongs to (properties.backfill), if any. */
export interface EndedInvocation {
  id: string;
  backfill: string | null;
}

/** Ends what is still in a `from` state; returns the ones that ended. Run it in the transaction of the end's effects. */
export async function finishInvocations(sql: Sql, now: Date, items: InvocationEnd[]): Promise<EndedInvocation[]> {
  if (items.length === 0) return [];
  const r = await sql.query<EndedInvocation>(SQL, [
    now,
    items.map((i) => i.id),
    items.map((i) => i.to),
    items.map((i) => i.from.join(",")),
    items.map((i) => i.abortedBy ?? null),
    items.map((i) => i.log),
    items.map((i) => i.run ?? null),
    items.map((i) => i.actor),
    items.map((i) => i.reason),
  ]);
  return r.rows;
}
