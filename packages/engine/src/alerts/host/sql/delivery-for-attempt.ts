import type { Sql } from "@hourglass/db";
import type { FiringDetail } from "../../collapse.ts";

/** A delivery with its rule as the delivery handler needs them, secrets included (never leaves the worker). */
export interface DeliveryWithRule {
  id: string;
  rule_id: string;
  project: string;
  test: boolean;
  state: string;
  count: number;
  first_fired_at: Date | null;
  last_fired_at: Date | null;
  send_at: Date;
  sample: FiringDetail[];
  /** The body as stored (jsonb's text): the exact bytes every attempt sends and signs. */
  payload: string | null;
  attempts: number;
  max_attempts: number;
  rule_name: string;
  kind: string;
  target: string | null;
  condition: Record<string, number>;
  channel: Record<string, unknown>;
  secrets: Record<string, string>;
  collapse_window_ms: number;
  open_delivery_id: string | null;
}

/**
 * Locks delivery $1's rule, then the delivery (the order every writer of
 * windows takes), and reads both. Null when either is gone (the rule was
 * deleted). Run in a transaction.
 */
const SQL = `
WITH rule AS (
  SELECT r.* FROM alert_rule r WHERE r.id = (SELECT rule_id FROM alert_delivery WHERE id = $1::bigint) FOR UPDATE
)
SELECT d.id::text AS id, d.rule_id::text AS rule_id, d.project, d.test, d.state::text AS state, d.count, d.first_fired_at,
       d.last_fired_at, d.send_at, d.sample, d.payload::text AS payload, d.attempts, d.max_attempts,
       rule.name AS rule_name, rule.kind, rule.target, rule.condition, rule.channel, rule.secrets,
       rule.collapse_window_ms, rule.open_delivery_id::text AS open_delivery_id
  FROM rule JOIN alert_delivery d ON d.rule_id = rule.id AND d.id = $1::bigint
   FOR UPDATE OF d`;

export async function deliveryForAttempt(sql: Sql, id: string): Promise<DeliveryWithRule | null> {
  return (await sql.query<DeliveryWithRule>(SQL, [id])).rows[0] ?? null;
}
