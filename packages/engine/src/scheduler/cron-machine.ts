import type { Schedule } from "./schedule.ts";
import { nextCronSlot } from "./schedule.ts";
import { newestSlotAtOrBefore, nextTick, slotOfTick, slotsBefore, type CronSchedule } from "./slots.ts";

/**
 * The cron machine, pure (LUCI's engine/cron/machine.go): state and inputs in,
 * new state and actions out. The host stores `CronState` on the job row and
 * applies a tick in one guarded transaction; a tick's trigger id is derived
 * from its slot, so two workers ticking the same slot produce one trigger.
 */
export interface CronState {
  /** When the next tick is due (epoch ms): its slot, plus the slot's jitter (slots.ts); null = not armed. */
  nextTickAt: number | null;
  /** The newest slot that fired. */
  lastSlotAt: number | null;
}

export interface CronTrigger {
  id: string;
  title: string;
  /** The schedule slot (epoch ms) this trigger stands for. */
  slotAt: number;
  /** How long after it was due (its slot plus jitter) the tick came (0 on time). */
  lateMs: number;
  /** The slot's jitter: its tick was due this long after the slot. */
  jitterMs?: number;
  /**
   * Slots passed over by a catch-up: missed by more than LATE_SLOT_MS and
   * collapsed into this one, or (with a catch-up window) older than the window.
   */
  skipped?: { count: number; from: number; to: number };
  /** With a catch-up window: how many missed slots before this one run too, each as its own trigger. */
  caughtUp?: number;
  /** The catch-up window this catch-up ran under (the schedule's catchUpMillis). */
  catchUpWindowMs?: number;
}

/**
 * A missed cron slot this late or less still fires, late, as itself: its
 * timer's worker died (the tick service fires it LOST_TIMER_MS after the
 * slot), or the workers were briefly away. Then the next slot, possibly due
 * already, fires on the following pass. A slot missed by more (the workers
 * were down) is collapsed with every slot after it into one catch-up run for
 * the newest, and the ones passed over are counted on the trigger. A schedule with a catch-up
 * window (`catchUpMillis`) runs every missed slot that recent instead, each as
 * its own trigger (at most CATCH_UP_LIMIT, the newest), and passes over the
 * older ones; when even the newest is older than the window, nothing runs.
 */
export const LATE_SLOT_MS = 60_000;
/** A catch-up counts the slots it skips up to this many (a `* * * * * *` job down for a day would be 86,400). */
const SKIPPED_COUNT_CAP = 10_000;
/** A catch-up window runs at most this many missed slots (the newest); older ones count as skipped. */
export const CATCH_UP_LIMIT = 100;

export const IDLE: CronState = { nextTickAt: null, lastSlotAt: null };

/**
 * Arms the machine when a job is created, enabled, resumed or its schedule
 * changes. An interval's first run is randomised within the interval
 * (`random` in [0, 1)), so many jobs with the same interval do not fire together.
 */
export function arm(state: CronState, schedule: Schedule, now: number, random: () => number, jobKey = ""): CronState {
  switch (schedule.kind) {
    case "cron":
      return { ...state, nextTickAt: nextTick(schedule, jobKey, now)?.tickAt ?? null };
    case "interval":
      return { ...state, nextTickAt: now + Math.floor(random() * schedule.intervalMillis) };
    default:
      return { ...state, nextTickAt: null };
  }
}

/** Stops ticking (pause, disable). */
export function disarm(state: CronState): CronState {
  return { ...state, nextTickAt: null };
}

/**
 * A tick at `now`. Early (the clock is behind the slot, or moved backwards)
 * or unarmed: nothing happens. A little late (up to LATE_SLOT_MS): the armed
 * slot fires as itself and the machine re-arms for the slot after it, which
 * may be due already. Later than that (the host was down across several
 * slots): one trigger for the newest missed slot, not one per slot, counting
 * the skipped ones, then the machine re-arms for the first slot after `now`.
 * An interval fires and waits for the invocation to finish (`invocationFinished`).
 */
export function tick(
  state: CronState, schedule: Schedule, now: number, jobKey: string,
): { state: CronState; trigger: CronTrigger | null; earlier: CronTrigger[] } {
  if (state.nextTickAt === null || now < state.nextTickAt) return { state, trigger: null, earlier: [] };
  if (schedule.kind === "cron") return tickCron(state, schedule, now, jobKey);
  if (schedule.kind === "interval") {
    return {
      state: { lastSlotAt: state.nextTickAt, nextTickAt: null },
      trigger: {
        id: tickTriggerId(schedule, jobKey, state.nextTickAt), title: "interval tick", slotAt: state.nextTickAt,
        lateMs: now - state.nextTickAt,
      },
      earlier: [],
    };
  }
  return { state: disarm(state), trigger: null, earlier: [] };
}

function tickCron(state: CronState, schedule: CronSchedule, now: number, jobKey: string): ReturnType<typeof tick> {
  const due = state.nextTickAt!;
  const armed = slotOfTick(schedule, due);
  const onTime = now - due <= LATE_SLOT_MS;
  const newest = onTime ? armed : Math.max(newestSlotAtOrBefore(schedule, now) ?? armed, armed);
  const rearm = (after: number) => nextTick(schedule, jobKey, after)?.tickAt ?? null;
  if (state.lastSlotAt !== null && newest <= state.lastSlotAt) {
    return { state: { ...state, nextTickAt: rearm(now) }, trigger: null, earlier: [] };
  }
  // after a late slot the next one may be due already: it fires on the next pass, as itself
  const next: CronState = { lastSlotAt: newest, nextTickAt: rearm(newest) };
  const fire = (slotAt: number): CronTrigger => ({
    id: tickTriggerId(schedule, jobKey, slotAt), title: `cron tick ${new Date(slotAt).toISOString()}`, slotAt,
    lateMs: now - slotAt,
  });
  if (onTime) {
    const trigger = { ...fire(armed), lateMs: now - due };
    if (due > armed) trigger.jitterMs = due - armed;
    return { state: next, trigger, earlier: [] };
  }
  if (schedule.catchUpMillis === undefined) {
    const trigger = fire(newest);
    if (newest > armed) trigger.skipped = { count: countSlots(schedule, armed, newest), from: armed, to: newest };
    return { state: next, trigger, earlier: [] };
  }
  // a catch-up window: every missed slot in it runs, the older ones are passed over
  const windowStart = Math.max(armed, now - schedule.catchUpMillis);
  if (newest < windowStart) return { state: next, trigger: null, earlier: [] };
  const inWindow = slotsBefore(schedule, newest, CATCH_UP_LIMIT - 1).filter((t) => t >= windowStart);
  const first = inWindow[0] ?? newest;
  const trigger: CronTrigger = { ...fire(newest), catchUpWindowMs: schedule.catchUpMillis };
  if (first > armed) trigger.skipped = { count: countSlots(schedule, armed, first), from: armed, to: first };
  if (inWindow.length > 0) trigger.caughtUp = inWindow.length;
  return { state: next, trigger, earlier: inWindow.map(fire) };
}

/**
 * tick() for many jobs at one `now`. Jobs on one schedule in one state tick
 * alike (a minute's 10,000 "* * * * *" jobs), so the machine runs once per
 * distinct case and only the trigger id names the job.
 */
export function ticker(now: number): (state: CronState, schedule: Schedule, jobKey: string) => ReturnType<typeof tick> {
  const alike = new Map<string, ReturnType<typeof tick>>();
  return (state, schedule, jobKey) => {
    // with jitter the next tick depends on the job: each ticks alone
    if (schedule.kind === "cron" && schedule.jitterMillis) return tick(state, schedule, now, jobKey);
    const caseKey = JSON.stringify([schedule, state.nextTickAt, state.lastSlotAt]);
    let shared = alike.get(caseKey);
    if (!shared) alike.set(caseKey, (shared = tick(state, schedule, now, "")));
    const named = (t: CronTrigger) => ({ ...t, id: tickTriggerId(schedule, jobKey, t.slotAt) });
    return { state: shared.state, trigger: shared.trigger && named(shared.trigger), earlier: shared.earlier.map(named) };
  };
}

/** A tick's trigger id: derived from the job and the slot, so every worker ticking that slot emits the same one. */
export function tickTriggerId(schedule: Schedule, jobKey: string, slotAt: number): string {
  return schedule.kind === "cron" ? `cron:${jobKey}:${new Date(slotAt).toISOString()}` : `interval:${jobKey}:${slotAt}`;
}

/** An interval schedule counts from the end of the previous invocation. */
export function invocationFinished(state: CronState, schedule: Schedule, now: number): CronState {
  if (schedule.kind !== "interval" || state.nextTickAt !== null) return state;
  return { ...state, nextTickAt: now + schedule.intervalMillis };
}

/** Slots in [from, to): the ones a catch-up for `to` passes over (counted up to SKIPPED_COUNT_CAP). */
function countSlots(schedule: CronSchedule, from: number, to: number): number {
  let n = 0;
  for (let t: number | undefined = from; t !== undefined && t < to && n < SKIPPED_COUNT_CAP; n++) {
    t = nextCronSlot(schedule, new Date(t))?.getTime();
  }
  return n;
}
