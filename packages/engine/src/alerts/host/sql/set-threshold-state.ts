import type { Sql } from "@hourglass/db";

/**
 * Replaces threshold rule $1's state ($3) if it is still $2 (compare and
 * set: two workers measuring at once fire once). Locks the rule row.
 */
export async function setThresholdState(sql: Sql, id: string, expected: unknown, next: unknown): Promise<boolean> {
  const r = await sql.query(
    `UPDATE alert_rule SET threshold_state = $3::jsonb WHERE id = $1::bigint AND enabled AND threshold_state = $2::jsonb`,
    [id, JSON.stringify(expected), JSON.stringify(next)],
  );
  return (r.rowCount ?? 0) > 0;
}
