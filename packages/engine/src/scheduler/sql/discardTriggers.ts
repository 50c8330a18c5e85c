import type { Sql } from "@hourglass/db";
import { triggerEntitySql } from "../trigger-states.ts";
import { EVENT_COLUMNS, projectOfSql } from "./events.ts";

/**
 * PENDING → DISCARDED for triggers triage let go, guarded (still pending),
 * with a `discarded` event each giving why.
 */
const SQL = `
WITH moved AS (
  UPDATE scheduler_trigger t SET discarded_at = $1
    FROM unnest($2::bigint[], $3::text[]) AS u(id, reason)
   WHERE t.id = u.id AND t.invocation_id IS NULL AND t.discarded_at IS NULL
  RETURNING t.job_key, t.trigger_id, u.reason
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $1, ${projectOfSql("job_key")}, 'trigger', ${triggerEntitySql("job_key", "trigger_id")}, 'discarded',
         'PENDING', 'DISCARDED', reason, $4, NULL
    FROM moved
)
SELECT count(*)::int AS n FROM moved`;

/** Discards trigger rows (scheduler_trigger.id) with a reason each; returns how many were still pending. */
export async function discardTriggers(sql: Sql, now: Date, discards: { id: string; reason: string }[], actor: string): Promise<number> {
  if (discards.length === 0) return 0;
  const r = await sql.query<{ n: number }>(SQL, [now, discards.map((d) => d.id), discards.map((d) => d.reason), actor]);
  return r.rows[0]!.n;
}
