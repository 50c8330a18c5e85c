import type { Sql } from "@hourglass/db";
import type { BackfillOverlap, BackfillSlotState } from "../backfill-states.ts";
import { EVENT_COLUMNS, projectOfSql } from "./events.ts";

export interface NewBackfill {
  jobKey: string;
  from: Date;
  to: Date;
  overlap: BackfillOverlap;
  /** Who asked for it: the `backfilled` event's actor. */
  createdBy: string;
  reason: string;
  /** Every slot of the range, oldest first, PENDING or SKIPPED. */
  slots: { at: Date; state: Extract<BackfillSlotState, "PENDING" | "SKIPPED"> }[];
}

/**
 * The one statement that creates a backfill: its row, one row per slot, and
 * the job's `backfilled` event (an operator action: who, why, the range, the
 * overlap choice, how many slots and how many were skipped).
 */
const SQL = `
WITH b AS (
  INSERT INTO scheduler_backfill (job_key, from_at, to_at, overlap, created_by, created_at, reason)
  VALUES ($1, $2, $3, $4, $5, $6, $7)
  RETURNING id, job_key
), s AS (
  INSERT INTO scheduler_backfill_slot (backfill_id, slot_at, state)
  SELECT b.id, u.slot, u.state FROM b, unnest($8::timestamptz[], $9::text[]) AS u(slot, state)
  RETURNING state
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $6, ${projectOfSql("b.job_key")}, 'scheduler_job', b.job_key, 'backfilled', NULL, NULL, $10, $5,
         jsonb_build_object('backfill', b.id::text, 'from', $2::timestamptz, 'to', $3::timestamptz, 'overlap', $4::text,
                            'slots', cardinality($8::timestamptz[]),
                            'skipped', (SELECT count(*) FROM unnest($9::text[]) k WHERE k = 'SKIPPED'))
    FROM b
)
SELECT id::text AS id FROM b`;

/** Creates the backfill and its slots; returns its id. */
export async function createBackfill(sql: Sql, now: Date, b: NewBackfill): Promise<string> {
  const reason = b.reason || `backfill of ${b.slots.length} slot(s), ${b.overlap}`;
  const r = await sql.query<{ id: string }>(SQL, [
    b.jobKey, b.from, b.to, b.overlap, b.createdBy, now, b.reason,
    b.slots.map((s) => s.at), b.slots.map((s) => s.state), reason,
  ]);
  return r.rows[0]!.id;
}
