import type { Sql } from "@hourglass/db";
import type { FiringDetail, OpenWindow } from "../../collapse.ts";

export interface RuleWindowRow {
  rule_id: string;
  project: string;
  collapse_window_ms: number;
  open_id: string | null;
  count: number | null;
  first_fired_at: Date | null;
  last_fired_at: Date | null;
  send_at: Date | null;
  sample: FiringDetail[] | null;
}

/**
 * Locks rules $1 (in id order, as every writer of windows does) and reads
 * each one's open window. Rules deleted or disabled meanwhile are absent:
 * their firings are dropped.
 */
const SQL = `
SELECT r.id::text AS rule_id, r.project, r.collapse_window_ms, d.id::text AS open_id, d.count, d.first_fired_at,
       d.last_fired_at, d.send_at, d.sample
  FROM alert_rule r
  LEFT JOIN alert_delivery d ON d.id = r.open_delivery_id AND d.state = 'COLLECTING'
 WHERE r.id = ANY($1::bigint[]) AND r.enabled
 ORDER BY r.id
   FOR UPDATE OF r`;

export async function lockWindows(sql: Sql, ruleIds: string[]): Promise<RuleWindowRow[]> {
  return (await sql.query<RuleWindowRow>(SQL, [ruleIds])).rows;
}

export function openWindowOf(row: RuleWindowRow): OpenWindow | null {
  if (row.open_id === null) return null;
  return {
    id: row.open_id, count: row.count!, firstAt: row.first_fired_at!.getTime(), lastAt: row.last_fired_at!.getTime(),
    sendAt: row.send_at!.getTime(), sample: row.sample ?? [],
  };
}
