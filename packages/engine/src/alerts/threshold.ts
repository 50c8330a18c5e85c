import type { AlertFact } from "./facts.ts";
import type { ThresholdKind } from "./kinds.ts";
import { matches, type MatchableRule } from "./match.ts";

/** One queue as the threshold pass measured it. */
export interface QueueMeasurement {
  queue: string;
  /** Due PENDING jobs, counted up to the rule's limit + 1. */
  backlog: number;
  /** How long the oldest due PENDING job has waited (now - its run_after); null = none waits. */
  oldestPendingMs: number | null;
}

/** Queues of a threshold rule now over its limit, with when they went over (epoch ms). */
export type ThresholdState = Record<string, { since: number }>;

export interface ThresholdOutcome {
  state: ThresholdState;
  /** Queues that went over since the last pass: one firing each. */
  fired: AlertFact[];
  /** Queues back under the limit. */
  cleared: string[];
}

/**
 * One pass of a threshold rule, pure: a queue fires when it goes over the
 * limit, not on every pass it stays over; once back under, it may fire again.
 * Queues no longer measured (deleted) are forgotten.
 */
export function evaluateThreshold(
  rule: MatchableRule & { kind: ThresholdKind },
  measurements: QueueMeasurement[],
  state: ThresholdState,
  now: number,
): ThresholdOutcome {
  const next: ThresholdState = {};
  const fired: AlertFact[] = [];
  const cleared: string[] = [];
  for (const m of measurements) {
    const fact = factOf(rule, m, now);
    const over = matches(rule, fact);
    if (over) {
      next[m.queue] = state[m.queue] ?? { since: now };
      if (!state[m.queue]) fired.push(fact);
    } else if (state[m.queue]) {
      cleared.push(m.queue);
    }
  }
  return { state: next, fired, cleared };
}

function factOf(rule: MatchableRule & { kind: ThresholdKind }, m: QueueMeasurement, now: number): AlertFact {
  const base = { kind: rule.kind, project: rule.project, target: m.queue, at: now, subject: { kind: "queue", id: m.queue } };
  if (rule.kind === "queue_backlog") {
    const limit = rule.condition.backlog ?? 0;
    return { ...base, text: `queue ${m.queue} has ${m.backlog > limit ? `more than ${limit}` : m.backlog} due pending jobs`,
      data: { queue: m.queue, backlog: m.backlog, limit } };
  }
  const limit = rule.condition.oldestPendingMillis ?? 0;
  const age = m.oldestPendingMs ?? 0;
  return { ...base, text: `queue ${m.queue}: its oldest due pending job has waited ${Math.round(age / 1000)} s`,
    data: { queue: m.queue, oldestPendingMs: age, limit } };
}
