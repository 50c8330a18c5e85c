import type { Sql } from "@hourglass/db";
import { HourglassError } from "../../errors.ts";
import {
  backfillState, type BackfillCounts, type BackfillOverlap, type BackfillSlotState, type BackfillState,
} from "../backfill-states.ts";
import { ACTIVE_INVOCATION_STATES } from "../invocation-states.ts";

/** A backfill with its progress, as the job page shows it. */
export interface BackfillSummary extends BackfillCounts {
  id: string;
  job: string;
  state: BackfillState;
  fromTimestampMillis: number;
  toTimestampMillis: number;
  overlap: BackfillOverlap;
  createdBy: string;
  createdTimestampMillis: number;
  reason: string;
}

export interface BackfillSlotInfo {
  slotTimestampMillis: number;
  state: BackfillSlotState;
  invocationId: string | null;
  invocationState: string | null;
}

type Row = {
  id: string; job_key: string; from_at: Date; to_at: Date; overlap: BackfillOverlap; created_by: string; created_at: Date;
  reason: string; slots: number; pending: number; skipped: number; active: number; succeeded: number; failed: number;
  aborted: number;
};

/** Counts over a backfill's slots and their invocations: at most MAX_RANGE_SLOTS rows each. */
const SUMMARY_SQL = `
SELECT b.id::text AS id, b.job_key, b.from_at, b.to_at, b.overlap, b.created_by, b.created_at, b.reason,
       count(*)::int AS slots,
       count(*) FILTER (WHERE s.state = 'PENDING')::int AS pending,
       count(*) FILTER (WHERE s.state = 'SKIPPED')::int AS skipped,
       count(*) FILTER (WHERE i.state = ANY($4::"InvocationState"[]))::int AS active,
       count(*) FILTER (WHERE i.state = 'SUCCEEDED')::int AS succeeded,
       count(*) FILTER (WHERE i.state = 'FAILED')::int AS failed,
       count(*) FILTER (WHERE i.state = 'ABORTED')::int AS aborted
  FROM scheduler_backfill b
  JOIN scheduler_backfill_slot s ON s.backfill_id = b.id
  LEFT JOIN scheduler_invocation i ON i.id = s.invocation_id
 WHERE b.job_key = $1 AND ($2::bigint IS NULL OR b.id < $2) AND ($3::bigint IS NULL OR b.id = $3)
 GROUP BY b.id
 ORDER BY b.id DESC`;

function toSummary(r: Row): BackfillSummary {
  const counts = {
    slots: r.slots, pending: r.pending, skipped: r.skipped, active: r.active, succeeded: r.succeeded, failed: r.failed,
    aborted: r.aborted,
  };
  return {
    id: r.id, job: r.job_key, state: backfillState(counts), ...counts,
    fromTimestampMillis: r.from_at.getTime(), toTimestampMillis: r.to_at.getTime(), overlap: r.overlap,
    createdBy: r.created_by, createdTimestampMillis: r.created_at.getTime(), reason: r.reason,
  };
}

/** A job's backfills, newest first; the cursor is the last id of the previous page. */
export async function listBackfills(sql: Sql, jobKey: string, page: { cursor?: string; pageSize: number }) {
  const r = await sql.query<Row>(`${SUMMARY_SQL} LIMIT $5`,
    [jobKey, page.cursor ?? null, null, ACTIVE_INVOCATION_STATES, page.pageSize + 1]);
  const rows = r.rows.slice(0, page.pageSize);
  return { backfills: rows.map(toSummary), nextCursor: r.rows.length > page.pageSize ? rows[rows.length - 1]!.id : null };
}

/** One backfill with every slot (at most MAX_RANGE_SLOTS), oldest first. */
export async function getBackfill(sql: Sql, jobKey: string, id: string) {
  const r = await sql.query<Row>(`${SUMMARY_SQL} LIMIT 1`, [jobKey, null, id, ACTIVE_INVOCATION_STATES]);
  if (!r.rows[0]) throw new HourglassError("BACKFILL_NOT_FOUND", `job ${jobKey} has no backfill ${id}`);
  type SlotRow = { slot_at: Date; state: BackfillSlotState; invocation_id: string | null; invocation_state: string | null };
  const slots = await sql.query<SlotRow>(
    `SELECT s.slot_at, s.state, s.invocation_id::text AS invocation_id, i.state::text AS invocation_state
       FROM scheduler_backfill_slot s LEFT JOIN scheduler_invocation i ON i.id = s.invocation_id
      WHERE s.backfill_id = $1 ORDER BY s.slot_at`, [id]);
  return {
    ...toSummary(r.rows[0]),
    slotList: slots.rows.map((s): BackfillSlotInfo => ({
      slotTimestampMillis: s.slot_at.getTime(), state: s.state, invocationId: s.invocation_id,
      invocationState: s.invocation_state,
    })),
  };
}
