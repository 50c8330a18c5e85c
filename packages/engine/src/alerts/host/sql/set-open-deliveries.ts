import type { Sql } from "@hourglass/db";

/**
 * Points rules at their open window (null: none open). Call holding the
 * rules' row locks, after the windows were written.
 *   $1 [{rule, open}]
 */
const SQL = `
UPDATE alert_rule r SET open_delivery_id = u.open
  FROM jsonb_to_recordset($1::jsonb) AS u(rule bigint, open bigint)
 WHERE r.id = u.rule`;

export async function setOpenDeliveries(sql: Sql, rules: { rule: string; open: string | null }[]): Promise<void> {
  if (rules.length === 0) return;
  await sql.query(SQL, [JSON.stringify(rules)]);
}
