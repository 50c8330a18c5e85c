import type { Schedule } from "./schedule.ts";
import { cronOf, nextCronSlot } from "./schedule.ts";

/**
 * The cron machine, pure (LUCI's engine/cron/machine.go): state and inputs in,
 * new state and actions out. The host stores `CronState` on the job row and
 * applies a tick in one guarded transaction; a tick's trigger id is derived
 * from its slot, so two workers ticking the same slot produce one trigger.
 */
export interface CronState {
  /** When the next tick is due (epoch ms); null = not armed. */
  nextTickAt: number | null;
  /** The newest slot that fired. */
  lastSlotAt: number | null;
}

export interface CronTrigger {
  id: string;
  title: string;
  /** The schedule slot (epoch ms) this trigger stands for. */
  slotAt: number;
  /** How long after its slot the tick came (0 on time). */
  lateMs: number;
  /** Slots passed over by a catch-up: missed by more than LATE_SLOT_MS, collapsed into this one. */
  skipped?: { count: number; from: number; to: number };
}

/**
 * A missed cron slot this late or less still fires, late, as itself: its
 * timer's worker died (the tick service fires it LOST_TIMER_MS after the
 * slot), or the workers were briefly away. Then the next slot, possibly due
 * already, fires on the following pass. A slot missed by more (the workers
 * were down) is collapsed with every slot after it into one catch-up run for
 * the newest, and the ones passed over are counted on the trigger.
 */
export const LATE_SLOT_MS = 60_000;
/** A catch-up counts the slots it skips up to this many (a `* * * * * *` job down for a day would be 86,400). */
const SKIPPED_COUNT_CAP = 10_000;

export const IDLE: CronState = { nextTickAt: null, lastSlotAt: null };

/**
 * Arms the machine when a job is created, enabled, resumed or its schedule
 * changes. An interval's first run is randomised within the interval
 * (`random` in [0, 1)), so many jobs with the same interval do not fire together.
 */
export function arm(state: CronState, schedule: Schedule, now: number, random: () => number): CronState {
  switch (schedule.kind) {
    case "cron":
      return { ...state, nextTickAt: nextCronSlot(schedule, new Date(now))?.getTime() ?? null };
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
export function tick(state: CronState, schedule: Schedule, now: number, jobKey: string): { state: CronState; trigger: CronTrigger | null } {
  if (state.nextTickAt === null || now < state.nextTickAt) return { state, trigger: null };
  if (schedule.kind === "cron") {
    const armed = state.nextTickAt;
    const newest = now - armed <= LATE_SLOT_MS ? armed : Math.max(newestSlotAtOrBefore(schedule, now) ?? armed, armed);
    if (state.lastSlotAt !== null && newest <= state.lastSlotAt) {
      return { state: { ...state, nextTickAt: nextCronSlot(schedule, new Date(now))?.getTime() ?? null }, trigger: null };
    }
    const trigger: CronTrigger = {
      id: tickTriggerId(schedule, jobKey, newest), title: `cron tick ${new Date(newest).toISOString()}`, slotAt: newest, lateMs: now - newest,
    };
    if (newest > armed) trigger.skipped = { count: countSlots(schedule, armed, newest), from: armed, to: newest };
    // after a late slot the next one may be due already: it fires on the next pass, as itself
    return { state: { lastSlotAt: newest, nextTickAt: nextCronSlot(schedule, new Date(newest))?.getTime() ?? null }, trigger };
  }
  if (schedule.kind === "interval") {
    return {
      state: { lastSlotAt: state.nextTickAt, nextTickAt: null },
      trigger: { id: tickTriggerId(schedule, jobKey, state.nextTickAt), title: "interval tick", slotAt: state.nextTickAt, lateMs: now - state.nextTickAt },
    };
  }
  return { state: disarm(state), trigger: null };
}

/**
 * tick() for many jobs at one `now`. Jobs on one schedule in one state tick
 * alike (a minute's 10,000 "* * * * *" jobs), so the machine runs once per
 * distinct case and only the trigger id names the job.
 */
export function ticker(now: number): (state: CronState, schedule: Schedule, jobKey: string) => ReturnType<typeof tick> {
  const alike = new Map<string, ReturnType<typeof tick>>();
  return (state, schedule, jobKey) => {
    const caseKey = JSON.stringify([schedule, state.nextTickAt, state.lastSlotAt]);
    let shared = alike.get(caseKey);
    if (!shared) alike.set(caseKey, (shared = tick(state, schedule, now, "")));
    return { state: shared.state, trigger: shared.trigger && { ...shared.trigger, id: tickTriggerId(schedule, jobKey, shared.trigger.slotAt) } };
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
function countSlots(schedule: Extract<Schedule, { kind: "cron" }>, from: number, to: number): number {
  let n = 0;
  for (let t: number | undefined = from; t !== undefined && t < to && n < SKIPPED_COUNT_CAP; n++) {
    t = nextCronSlot(schedule, new Date(t))?.getTime();
  }
  return n;
}

function newestSlotAtOrBefore(schedule: Extract<Schedule, { kind: "cron" }>, now: number): number | null {
  const cron = cronOf(schedule.expression, schedule.timezone);
  // previousRuns is exclusive of the reference; step 1 ms past `now` to include a slot exactly at now
  const prev = cron.previousRuns(1, new Date(now + 1))[0];
  return prev ? prev.getTime() : null;
}
