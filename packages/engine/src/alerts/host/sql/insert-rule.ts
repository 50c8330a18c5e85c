import type { Sql } from "@hourglass/db";
import { EVENT_COLUMNS } from "../../../events/sql/columns.ts";
import { ruleDefinitionJson, type RuleWrite } from "./rule-columns.ts";

/**
 * A new rule and its `created` event, in one statement.
 *   $1 project, $2 name, $3 kind, $4 target, $5 condition, $6 channel, $7 secrets, $8 window ms, $9 enabled,
 *   $10 now, $11 actor
 */
const SQL = `
WITH ins AS (
  INSERT INTO alert_rule (project, name, kind, target, condition, channel, secrets, collapse_window_ms, enabled,
                          created_at, created_by, updated_at, updated_by)
  VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::jsonb, $8, $9, $10, $11, $10, $11)
  RETURNING *
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $10, ins.project, 'alert_rule', ins.id::text, 'created', NULL, NULL, '', $11,
         jsonb_build_object('rule', ${ruleDefinitionJson("ins")})
    FROM ins
)
SELECT id::text AS id FROM ins`;

export async function insertRule(
  sql: Sql, project: string, rule: RuleWrite, secrets: Record<string, string>, now: Date, actor: string,
): Promise<string> {
  const r = await sql.query<{ id: string }>(SQL, [
    project, rule.name, rule.kind, rule.target, JSON.stringify(rule.condition), JSON.stringify(rule.channel),
    JSON.stringify(secrets), rule.collapseWindowMs, rule.enabled, now, actor,
  ]);
  return r.rows[0]!.id;
}
