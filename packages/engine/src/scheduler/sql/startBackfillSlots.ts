import type { Sql } from "@hourglass/db";

/**
 * PENDING → STARTED for backfill slots whose invocations were just created,
 * guarded (still pending). Its event is the invocation's `created` event,
 * written in the same transaction by sql/createInvocations.ts, whose reason
 * names the backfill and the slot. Returns how many moved.
 */
const SQL = `
UPDATE scheduler_backfill_slot s SET state = 'STARTED', invocation_id = u.invocation
  FROM unnest($1::bigint[], $2::timestamptz[], $3::bigint[]) AS u(backfill, slot, invocation)
 WHERE s.backfill_id = u.backfill AND s.slot_at = u.slot AND s.state = 'PENDING'`;

export async function startBackfillSlots(
  sql: Sql, slots: { backfill: string; slotAt: Date; invocation: string }[],
): Promise<number> {
  if (slots.length === 0) return 0;
  const r = await sql.query(SQL, [slots.map((s) => s.backfill), slots.map((s) => s.slotAt), slots.map((s) => s.invocation)]);
  return r.rowCount ?? 0;
}
