import { LATE_SLOT_MS } from "./cron-machine.ts";
import { applyPolicy, type PendingTrigger, type TriggeringPolicy } from "./policies.ts";

/** What a triage log is told: `say` adds one timed line (host/triage-log.ts). */
export interface TriageLines {
  say(message: string): void;
}

/** A pending trigger as the decision sees it: its emitter and properties tell a late cron tick. */
export interface TriagedTrigger extends PendingTrigger {
  /** The emitter's id (PendingTrigger.id only tells triggers apart). */
  triggerId: string;
  emittedBy: string;
  properties: unknown;
}

export interface TriageInput<T extends TriagedTrigger> {
  policy: TriggeringPolicy;
  /** Why nothing may start: the job is paused, or disabled (or removed); null when it may. */
  blocked: "paused" | "disabled" | null;
  /** Oldest first. */
  pending: T[];
  active: number;
  now: number;
  /** Lines that belong between the counts and the decision (e.g. a continuous job's own trigger). */
  notes?: string[];
}

export interface TriageDecision<T> {
  /** Each starts one invocation with these triggers. */
  requests: T[][];
  discard: { trigger: T; reason: string }[];
}

/**
 * The triage decision of one job, and the lines its triage log records for
 * it — the one place both are made, for the triage service, the tick timer
 * that triages a quiet job itself, and an invocation's end that triages its
 * quiet job. Pure: the policy decides (policies.ts); a paused or disabled job
 * starts nothing and discards what is pending.
 */
export function decideTriage<T extends TriagedTrigger>(input: TriageInput<T>, log: TriageLines): TriageDecision<T> {
  const { pending, blocked } = input;
  log.say(`${pending.length} pending trigger(s), ${input.active} active invocation(s)`);
  for (const p of pending) if (p.emittedBy === "cron") for (const line of lateTickLines(p.triggerId, p.properties)) log.say(line);
  for (const note of input.notes ?? []) log.say(note);
  if (blocked) {
    log.say(`job is ${blocked}: no invocations start${pending.length ? `; discarding ${pending.length} trigger(s)` : ""}`);
    return { requests: [], discard: pending.map((trigger) => ({ trigger, reason: `job is ${blocked}` })) };
  }
  const d = applyPolicy(input.policy, { activeInvocations: input.active, pending, now: input.now });
  log.say(`policy ${input.policy.kind}: ${d.requests.length} invocation(s) to start, ${d.discard.length} trigger(s) to discard`);
  return { requests: d.requests, discard: d.discard.map((trigger, i) => ({ trigger, reason: d.discardReasons[i]! })) };
}

/** The line a triage writes for each invocation it starts. */
export const startedLine = (invocationId: string, triggerIds: string[]) =>
  `started invocation ${invocationId} with trigger(s) ${triggerIds.join(", ")}`;

/** Triage-log lines for a late, jittered or catch-up tick (none for one on time). */
export function lateTickLines(triggerId: string, properties: unknown): string[] {
  const p = (properties ?? {}) as {
    slot?: string; late_ms?: number; jitter_ms?: number; skipped_slots?: number; skipped_from?: string; skipped_to?: string;
    caught_up_slots?: number; catch_up_window_ms?: number;
  };
  const lines: string[] = [];
  if (typeof p.jitter_ms === "number") lines.push(`trigger ${triggerId} for slot ${p.slot}: jitter ${p.jitter_ms} ms`);
  if (typeof p.late_ms !== "number") return lines;
  lines.push(`trigger ${triggerId} for slot ${p.slot} fired ${p.late_ms} ms late`);
  if (p.caught_up_slots) {
    lines.push(`catch-up: ${p.caught_up_slots} earlier missed slot(s) within the catch-up window run too, each its own trigger`);
  }
  if (p.skipped_slots) {
    lines.push(`catch-up: skipped ${p.skipped_slots} slot(s) from ${p.skipped_from} to before ${p.skipped_to}: `
      + (p.catch_up_window_ms !== undefined
        ? `older than the catch-up window (${p.catch_up_window_ms / 1000} s)`
        : `missed by more than ${LATE_SLOT_MS / 1000} s (no worker was running), collapsed into this run`));
  }
  return lines;
}
