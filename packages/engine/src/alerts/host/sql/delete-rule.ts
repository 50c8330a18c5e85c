import type { Sql } from "@hourglass/db";
import { EVENT_COLUMNS } from "../../../events/sql/columns.ts";
import { ruleDefinitionJson } from "./rule-columns.ts";

/**
 * Deletes a rule (its deliveries go with it) and writes its `deleted` event
 * in one statement. Delivery jobs still queued find nothing and end.
 *   $1 id, $2 now, $3 actor
 */
const SQL = `
WITH del AS (
  DELETE FROM alert_rule WHERE id = $1::bigint RETURNING *
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $2, del.project, 'alert_rule', del.id::text, 'deleted', NULL, NULL, '', $3,
         jsonb_build_object('rule', ${ruleDefinitionJson("del")})
    FROM del
)
SELECT count(*)::int AS n FROM del`;

export async function deleteRule(sql: Sql, id: string, now: Date, actor: string): Promise<boolean> {
  return (await sql.query<{ n: number }>(SQL, [id, now, actor])).rows[0]!.n > 0;
}
