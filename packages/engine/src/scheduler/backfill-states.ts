/**
 * Backfills (Temporal's schedule backfill): a job run for every cron slot of
 * a past range, its invocations one batch (scheduler_backfill, one
 * scheduler_backfill_slot row per slot). Pure: the dashboard imports this file.
 *
 * A slot's transitions, each written in the transaction that makes it:
 *
 *   (new) ──created──▶ PENDING ──its invocation created──▶ STARTED
 *   (new) ──created, the slot already ran (SKIP)──▶ SKIPPED
 *
 * Writers: sql/createBackfill.ts (new rows, with the job's `backfilled`
 * event), sql/startBackfillSlots.ts (PENDING → STARTED, guarded; the
 * invocation's `created` event, written beside it by sql/createInvocations.ts,
 * names the backfill and slot). A backfill's own state is computed from its
 * slots and their invocations (backfillState).
 */

/** How a backfill's slots run (the overlap choice). */
export const BACKFILL_OVERLAPS = ["SEQUENTIAL", "CONCURRENT", "SKIP"] as const;
export type BackfillOverlap = (typeof BACKFILL_OVERLAPS)[number];

export const BACKFILL_OVERLAP_DOC: Record<BackfillOverlap, string> = {
  SEQUENTIAL: "One after another, oldest slot first: the next starts when the previous one succeeded or failed.",
  CONCURRENT: "All at once: every slot's invocation starts together.",
  SKIP: "Skip slots that already ran (their cron tick's invocation or an earlier backfill's); the rest one after another.",
};

export const BACKFILL_SLOT_STATES = ["PENDING", "STARTED", "SKIPPED"] as const;
export type BackfillSlotState = (typeof BACKFILL_SLOT_STATES)[number];

export const BACKFILL_SLOT_STATE_DOC: Record<BackfillSlotState, string> = {
  PENDING: "Waiting for its turn (SEQUENTIAL, SKIP): the invocation before it has not ended yet.",
  STARTED: "Its invocation was created (invocation_id); that invocation's state says how it went.",
  SKIPPED: "Not run: the job had already run this slot (SKIP).",
};

/** A backfill's computed state. */
export const BACKFILL_STATES = ["RUNNING", "DONE", "STOPPED"] as const;
export type BackfillState = (typeof BACKFILL_STATES)[number];

export const BACKFILL_STATE_DOC: Record<BackfillState, string> = {
  RUNNING: "An invocation of it is active, or slots wait for their turn behind one.",
  DONE: "Every slot ran (or was skipped) and every invocation ended.",
  STOPPED: "Slots are left but nothing of it runs: an invocation was aborted, or the job was paused, disabled or removed.",
};

/** How far a backfill got: slot counts by state, and its invocations' outcomes. */
export interface BackfillCounts {
  slots: number;
  pending: number;
  skipped: number;
  active: number;
  succeeded: number;
  failed: number;
  aborted: number;
}

export function backfillState(c: BackfillCounts): BackfillState {
  if (c.active > 0) return "RUNNING";
  return c.pending > 0 ? "STOPPED" : "DONE";
}

/** Whether the next slot starts after an invocation of the backfill ended in `state` (SEQUENTIAL, SKIP). */
export function continuesAfter(overlap: BackfillOverlap, state: string): boolean {
  return overlap !== "CONCURRENT" && (state === "SUCCEEDED" || state === "FAILED");
}

/** A backfill slot's trigger id: the backfill and the slot, so it never collides with the cron tick's. */
export const backfillTriggerId = (backfillId: string, slotAt: number) =>
  `backfill:${backfillId}:${new Date(slotAt).toISOString()}`;
