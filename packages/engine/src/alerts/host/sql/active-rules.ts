import type { Sql } from "@hourglass/db";

export interface ActiveRuleRow {
  id: string;
  project: string;
  kind: string;
  target: string | null;
  condition: Record<string, number>;
  collapse_window_ms: number;
  threshold_state: Record<string, { since: number }>;
}

/** The enabled rules of kinds $1: what the evaluator and the threshold pass match against. */
const SQL = `
SELECT id::text AS id, project, kind, target, condition, collapse_window_ms, threshold_state
  FROM alert_rule
 WHERE enabled AND kind = ANY($1::text[])
 ORDER BY id`;

export async function activeRules(sql: Sql, kinds: readonly string[]): Promise<ActiveRuleRow[]> {
  return (await sql.query<ActiveRuleRow>(SQL, [kinds])).rows;
}
