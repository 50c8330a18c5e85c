import type { Schedule } from "./schedule.ts";
import { cronOf, nextCronSlot } from "./schedule.ts";

/**
 * Slot maths of cron schedules, pure: jitter, the slots of a time range (a
 * backfill's), and the next run times (the dashboard's and the linter's
 * preview). Time is an argument; croner (schedule.ts) finds the slots.
 */
export type CronSchedule = Extract<Schedule, { kind: "cron" }>;

/** The most slots a range is enumerated to (a backfill's limit; a preview asks for far fewer). */
export const MAX_RANGE_SLOTS = 1000;

/** FNV-1a, 32 bits: a stable hash, so a slot's jitter is the same on every worker and in every test. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * How long after `slotAt` the slot's tick is due: in [0, jitterMillis), drawn
 * from the job and the slot (not from a random source), and always before
 * the next slot, so the slot a tick stands for is the newest one at or
 * before it (slotOfTick). 0 without jitter.
 */
export function jitterOf(schedule: CronSchedule, jobKey: string, slotAt: number): number {
  const jitter = schedule.jitterMillis ?? 0;
  if (jitter <= 0) return 0;
  const next = nextCronSlot(schedule, new Date(slotAt))?.getTime();
  const cap = next === undefined ? jitter : Math.min(jitter, next - slotAt);
  return cap <= 1 ? 0 : fnv1a(`${jobKey}@${slotAt}`) % cap;
}

/** When the slot's tick is due: the slot plus its jitter. */
export const tickAtOfSlot = (schedule: CronSchedule, jobKey: string, slotAt: number) =>
  slotAt + jitterOf(schedule, jobKey, slotAt);

/** The first slot strictly after `after`, and when its tick is due; null when the schedule has no more. */
export function nextTick(schedule: CronSchedule, jobKey: string, after: number): { slotAt: number; tickAt: number } | null {
  const slot = nextCronSlot(schedule, new Date(after))?.getTime();
  return slot === undefined ? null : { slotAt: slot, tickAt: tickAtOfSlot(schedule, jobKey, slot) };
}

/** The newest slot at or before `at`. */
export function newestSlotAtOrBefore(schedule: CronSchedule, at: number): number | null {
  // previousRuns is exclusive of the reference; step 1 ms past `at` to include a slot exactly at it
  const prev = cronOf(schedule.expression, schedule.timezone).previousRuns(1, new Date(at + 1))[0];
  return prev ? prev.getTime() : null;
}

/** The `count` slots strictly before `at`, oldest first. */
export function slotsBefore(schedule: CronSchedule, at: number, count: number): number[] {
  if (count <= 0) return [];
  return cronOf(schedule.expression, schedule.timezone).previousRuns(count, new Date(at)).map((d) => d.getTime()).reverse();
}

/** The slot a tick due at `tickAt` stands for (jitter keeps a tick before the next slot). */
export function slotOfTick(schedule: CronSchedule, tickAt: number): number {
  if (!schedule.jitterMillis) return tickAt;
  return newestSlotAtOrBefore(schedule, tickAt) ?? tickAt;
}

/**
 * The slots in [from, to), oldest first, at most `limit` (`more` says whether
 * the range holds others beyond them).
 */
export function slotsBetween(
  schedule: CronSchedule, from: number, to: number, limit = MAX_RANGE_SLOTS,
): { slots: number[]; more: boolean } {
  const slots: number[] = [];
  // nextRun is strictly after its reference: start 1 ms before `from` to include a slot exactly at it
  let t = nextCronSlot(schedule, new Date(from - 1))?.getTime();
  while (t !== undefined && t < to) {
    if (slots.length === limit) return { slots, more: true };
    slots.push(t);
    t = nextCronSlot(schedule, new Date(t))?.getTime();
  }
  return { slots, more: false };
}

/** A run to come: its slot, and when it starts (the slot plus its jitter). */
export interface UpcomingRun {
  slotAt: number;
  runAt: number;
}

/** The next `count` runs of a cron schedule after `after`, for job `jobKey` (its jitter). */
export function upcomingRuns(schedule: CronSchedule, jobKey: string, after: number, count = 10): UpcomingRun[] {
  const runs: UpcomingRun[] = [];
  for (let t = after; runs.length < count;) {
    const next = nextTick(schedule, jobKey, t);
    if (!next) break;
    runs.push({ slotAt: next.slotAt, runAt: next.tickAt });
    t = next.slotAt;
  }
  return runs;
}

/** A time as its zone's wall clock, "2026-03-29 03:00:00 CEST" (24-hour, the zone's short name). */
export function formatInZone(ms: number, timezone: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-GB", {
    timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
    second: "2-digit", hourCycle: "h23", timeZoneName: "short",
  }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${parts.timeZoneName}`;
}
