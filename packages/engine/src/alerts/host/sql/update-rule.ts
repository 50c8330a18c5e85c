import type { Sql } from "@hourglass/db";
import { EVENT_COLUMNS } from "../../../events/sql/columns.ts";
import { ruleDefinitionJson, type RuleWrite } from "./rule-columns.ts";

/**
 * Replaces a rule's definition and writes its `updated` event (before and
 * after) in one statement. Secrets: the stored ones named in $10 are kept,
 * those in $9 set, every other dropped. The write applies only when the
 * secrets the new channel needs ($11) are then all present; otherwise (or
 * when the rule does not exist) nothing is written and no row returns.
 * Threshold state starts over: the limits may have changed.
 *   $1 id, $2 name, $3 kind, $4 target, $5 condition, $6 channel, $7 window ms, $8 enabled,
 *   $9 secrets to set, $10 secret names to keep, $11 secret names required, $12 now, $13 actor
 */
const SQL = `
WITH old AS (
  SELECT * FROM alert_rule WHERE id = $1::bigint FOR UPDATE
), merged AS (
  SELECT old.id,
         (SELECT coalesce(jsonb_object_agg(k, v), '{}'::jsonb) FROM jsonb_each(old.secrets) AS e(k, v) WHERE k = ANY($10::text[]))
           || $9::jsonb AS secrets
    FROM old
), upd AS (
  UPDATE alert_rule r
     SET name = $2, kind = $3, target = $4, condition = $5::jsonb, channel = $6::jsonb, collapse_window_ms = $7,
         enabled = $8, secrets = m.secrets, threshold_state = '{}', updated_at = $12, updated_by = $13
    FROM merged m
   WHERE r.id = m.id AND m.secrets ?& $11::text[]
  RETURNING r.*
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $12, upd.project, 'alert_rule', upd.id::text, 'updated', NULL, NULL, '', $13,
         jsonb_build_object('before', ${ruleDefinitionJson("old")}, 'after', ${ruleDefinitionJson("upd")},
                            'secretsChanged', $9::jsonb <> '{}'::jsonb)
    FROM upd JOIN old ON old.id = upd.id
)
SELECT (SELECT count(*) FROM old)::int AS found, (SELECT count(*) FROM upd)::int AS updated`;

/** found: the rule exists; updated: the write applied (false when a required secret is missing). */
export async function updateRule(
  sql: Sql, id: string, rule: RuleWrite, secrets: { set: Record<string, string>; keep: string[]; required: string[] },
  now: Date, actor: string,
): Promise<{ found: boolean; updated: boolean }> {
  const r = await sql.query<{ found: number; updated: number }>(SQL, [
    id, rule.name, rule.kind, rule.target, JSON.stringify(rule.condition), JSON.stringify(rule.channel),
    rule.collapseWindowMs, rule.enabled, JSON.stringify(secrets.set), secrets.keep, secrets.required, now, actor,
  ]);
  return { found: r.rows[0]!.found > 0, updated: r.rows[0]!.updated > 0 };
}
