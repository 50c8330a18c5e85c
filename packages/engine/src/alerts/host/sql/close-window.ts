import type { Sql } from "@hourglass/db";

/**
 * COLLECTING → SENDING at the window's end, fixing the body every attempt
 * sends; the rule no longer points at it, so the next firing opens a new
 * window. A delivery already SENDING (closed by a later firing) only gets its
 * body fixed, once. Call holding the rule's and the delivery's row locks
 * (deliveryForAttempt). The body is stored as jsonb and sent as jsonb prints
 * it, so the first attempt sends the same bytes as every retry.
 *   $1 delivery id, $2 payload, $3 channel kind, $4 now
 */
const SQL = `
WITH d AS (
  UPDATE alert_delivery SET state = 'SENDING', payload = $2::jsonb, channel_kind = $3, updated_at = $4
   WHERE id = $1::bigint AND payload IS NULL AND state IN ('COLLECTING', 'SENDING')
  RETURNING rule_id, id, payload
), r AS (
  UPDATE alert_rule r SET open_delivery_id = NULL FROM d WHERE r.id = d.rule_id AND r.open_delivery_id = d.id
)
SELECT payload::text AS payload FROM d`;

/** The body as stored (jsonb's text, what every attempt sends), or null when it was fixed already. */
export async function closeWindow(sql: Sql, id: string, payload: unknown, channelKind: string, now: Date): Promise<string | null> {
  return (await sql.query<{ payload: string }>(SQL, [id, JSON.stringify(payload), channelKind, now])).rows[0]?.payload ?? null;
}
