import type { Sql } from "@hourglass/db";

export interface DeliveryRow {
  id: string;
  test: boolean;
  state: string;
  count: number;
  first_fired_at: Date | null;
  last_fired_at: Date | null;
  send_at: Date;
  sample: unknown[];
  channel_kind: string | null;
  attempts: number;
  max_attempts: number;
  next_attempt_at: Date | null;
  last_status: number | null;
  last_error: string | null;
  attempt_log: unknown[];
  delivered_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** Deliveries of rule $1, newest first, older than id $2 (null: the newest), at most $3. */
const SQL = `
SELECT id::text AS id, test, state::text AS state, count, first_fired_at, last_fired_at, send_at, sample, channel_kind,
       attempts, max_attempts, next_attempt_at, last_status, last_error, attempt_log, delivered_at, created_at, updated_at
  FROM alert_delivery
 WHERE rule_id = $1::bigint AND ($2::bigint IS NULL OR id < $2::bigint)
 ORDER BY id DESC
 LIMIT $3`;

export async function deliveryPage(sql: Sql, ruleId: string, before: string | null, limit: number): Promise<DeliveryRow[]> {
  return (await sql.query<DeliveryRow>(SQL, [ruleId, before, limit])).rows;
}
