import type { Sql } from "@hourglass/db";
import { RULE_SELECT, type RuleRow } from "./rule-columns.ts";

/** A rule's newest delivery, as lists show it. */
export interface LastDeliveryRow {
  last_delivery_id: string | null;
  last_delivery_state: string | null;
  last_delivery_count: number | null;
  last_delivery_at: Date | null;
  last_delivery_test: boolean | null;
}

/** Rules of project $1 (or the one rule $2), oldest first, each with its newest delivery. */
const SQL = `
SELECT ${RULE_SELECT},
       d.id::text AS last_delivery_id, d.state::text AS last_delivery_state, d.count AS last_delivery_count,
       coalesce(d.delivered_at, d.updated_at) AS last_delivery_at, d.test AS last_delivery_test
  FROM alert_rule r
  LEFT JOIN LATERAL (SELECT * FROM alert_delivery d WHERE d.rule_id = r.id ORDER BY d.id DESC LIMIT 1) d ON true
 WHERE ($1::text IS NULL OR r.project = $1) AND ($2::bigint IS NULL OR r.id = $2)
 ORDER BY r.id
 LIMIT 1000`;

export async function selectRules(sql: Sql, by: { project?: string; id?: string }): Promise<(RuleRow & LastDeliveryRow)[]> {
  return (await sql.query<RuleRow & LastDeliveryRow>(SQL, [by.project ?? null, by.id ?? null])).rows;
}

/** The project of rule $1, or null when there is no such rule (the access check's read). */
export async function ruleProject(sql: Sql, id: string): Promise<string | null> {
  const r = await sql.query<{ project: string }>(`SELECT project FROM alert_rule WHERE id = $1::bigint`, [id]);
  return r.rows[0]?.project ?? null;
}
