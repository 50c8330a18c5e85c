import type { Sql } from "@hourglass/db";
import type { WindowWrite } from "../../collapse.ts";

export interface OpenedWindow {
  id: string;
  rule_id: string;
  state: "COLLECTING" | "SENDING";
  send_at: Date;
}

/**
 * New windows of rules: COLLECTING until their end, or SENDING when they
 * closed within the batch that opened them. Call holding the rules' row
 * locks (lockWindows). Returns them in input order.
 *   $1 [{ord, rule, project, count, first, last, send_at, sample, closed}], $2 now, $3 max attempts
 */
const SQL = `
INSERT INTO alert_delivery (rule_id, project, state, count, first_fired_at, last_fired_at, send_at, sample,
                            max_attempts, created_at, updated_at)
SELECT u.rule, u.project, CASE WHEN u.closed THEN 'SENDING' ELSE 'COLLECTING' END::"AlertDeliveryState",
       u.count, u.first, u.last, u.send_at, u.sample, $3, $2, $2
  FROM jsonb_to_recordset($1::jsonb) AS u(ord int, rule bigint, project text, count int, first timestamptz,
                                          last timestamptz, send_at timestamptz, sample jsonb, closed bool)
 ORDER BY u.ord
RETURNING id::text AS id, rule_id::text AS rule_id, state::text AS state, send_at`;

export async function openWindows(
  sql: Sql, windows: (WindowWrite & { ruleId: string; project: string })[], now: Date, maxAttempts: number,
): Promise<OpenedWindow[]> {
  if (windows.length === 0) return [];
  const rows = windows.map((w, ord) => ({
    ord, rule: w.ruleId, project: w.project, count: w.count, first: new Date(w.firstAt), last: new Date(w.lastAt),
    send_at: new Date(w.sendAt), sample: w.sample, closed: w.closed,
  }));
  const r = await sql.query<OpenedWindow>(SQL, [JSON.stringify(rows), now, maxAttempts]);
  // ids come from one sequence in ORDER BY order; sort by id to restore the input order
  return [...r.rows].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}
