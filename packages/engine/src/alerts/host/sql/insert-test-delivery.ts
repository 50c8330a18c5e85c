import type { Sql } from "@hourglass/db";
import { EVENT_COLUMNS } from "../../../events/sql/columns.ts";

/**
 * A test notification of rule $1, SENDING at once (no firings, no window),
 * and the rule's `test_requested` event, in one statement. Null when the
 * rule does not exist.
 *   $1 rule id, $2 now, $3 max attempts, $4 actor
 */
const SQL = `
WITH ins AS (
  INSERT INTO alert_delivery (rule_id, project, test, state, count, send_at, max_attempts, created_at, updated_at)
  SELECT id, project, true, 'SENDING', 0, $2, $3, $2, $2 FROM alert_rule WHERE id = $1::bigint
  RETURNING id, rule_id, project
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $2, ins.project, 'alert_rule', ins.rule_id::text, 'test_requested', NULL, NULL, '', $4,
         jsonb_build_object('delivery', ins.id::text)
    FROM ins
)
SELECT id::text AS id FROM ins`;

export async function insertTestDelivery(sql: Sql, ruleId: string, now: Date, maxAttempts: number, actor: string) {
  return (await sql.query<{ id: string }>(SQL, [ruleId, now, maxAttempts, actor])).rows[0]?.id ?? null;
}
