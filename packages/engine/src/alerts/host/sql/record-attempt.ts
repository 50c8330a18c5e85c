import type { Sql } from "@hourglass/db";
import { EVENT_COLUMNS } from "../../../events/sql/columns.ts";

/** One attempt's outcome as the delivery's log keeps it. */
export interface AttemptOutcome {
  attempt: number;
  at: Date;
  ok: boolean;
  /** HTTP status or SMTP reply code; null when no answer came (connection refused, timeout). */
  status: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * Records attempt $2 of delivery $1: SENDING → DELIVERED (accepted),
 * SENDING → FAILED (refused, none left: $7 is null), or SENDING with the
 * next attempt at $7. Guarded on the attempt count, so a job run twice
 * (its lease lapsed) records once. Every recorded attempt writes its event
 * on the rule in the same statement: `delivered`, `delivery_retrying` (failed,
 * another attempt is queued) or `delivery_failed` (none left).
 *   $1 id, $2 attempt, $3 ok, $4 status, $5 error, $6 log entry, $7 next attempt at, $8 now, $9 actor
 */
const SQL = `
WITH upd AS (
  UPDATE alert_delivery
     SET attempts = $2::int, last_status = $4::int, last_error = $5::text,
         attempt_log = attempt_log || jsonb_build_array($6::jsonb),
         state = CASE WHEN $3::bool THEN 'DELIVERED' WHEN $7::timestamptz IS NULL THEN 'FAILED' ELSE 'SENDING' END::"AlertDeliveryState",
         next_attempt_at = CASE WHEN $3::bool THEN NULL ELSE $7::timestamptz END,
         delivered_at = CASE WHEN $3::bool THEN $8::timestamptz ELSE NULL END, updated_at = $8::timestamptz
   WHERE id = $1::bigint AND state = 'SENDING' AND attempts = $2::int - 1
  RETURNING id, rule_id, project, state, count, test
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $8::timestamptz, upd.project, 'alert_rule', upd.rule_id::text,
         CASE upd.state WHEN 'DELIVERED' THEN 'delivered' WHEN 'FAILED' THEN 'delivery_failed' ELSE 'delivery_retrying' END,
         NULL, NULL,
         CASE WHEN upd.state = 'DELIVERED' THEN '' ELSE coalesce($5::text, '') END, $9::text,
         jsonb_build_object('delivery', upd.id::text, 'attempts', $2::int, 'status', $4::int, 'count', upd.count, 'test', upd.test,
                            'nextAttemptAt', $7::timestamptz)
    FROM upd
)
SELECT state::text AS state FROM upd`;

/** The delivery's state after the attempt, or null when the guard found the attempt recorded already. */
export async function recordAttempt(
  sql: Sql, id: string, o: AttemptOutcome, nextAttemptAt: Date | null, actor: string,
): Promise<string | null> {
  const entry = { attempt: o.attempt, at: o.at.toISOString(), ok: o.ok, status: o.status, error: o.error, durationMs: o.durationMs };
  const r = await sql.query<{ state: string }>(SQL, [
    id, o.attempt, o.ok, o.status, o.error, JSON.stringify(entry), nextAttemptAt, o.at, actor,
  ]);
  return r.rows[0]?.state ?? null;
}
