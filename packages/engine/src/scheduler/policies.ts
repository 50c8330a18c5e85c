/**
 * Triggering policies, pure (LUCI's engine/policy): given how many
 * invocations are active and the pending triggers (oldest first), decide
 * which triggers start which new invocations and which are discarded.
 */
export interface PendingTrigger {
  id: string;
  createdAt: number;
}

export type TriggeringPolicy =
  | { kind: "GREEDY_BATCHING"; maxConcurrentInvocations: number; maxBatchSize: number }
  | { kind: "LOGARITHMIC_BATCHING"; logBase: number; maxConcurrentInvocations: number; maxBatchSize: number }
  | { kind: "NEWEST_FIRST"; maxConcurrentInvocations: number; pendingTimeoutMillis: number };

export const DEFAULT_POLICY: TriggeringPolicy = { kind: "GREEDY_BATCHING", maxConcurrentInvocations: 1, maxBatchSize: 1000 };

/** The pending set is capped; beyond it the oldest triggers are dropped. */
export const MAX_PENDING_TRIGGERS = 1000;

export interface PolicyDecision<T extends PendingTrigger> {
  /** Each entry starts one invocation with these triggers (oldest first). */
  requests: T[][];
  discard: T[];
  /** Why each of `discard` goes, in the same order (its `discarded` event's reason). */
  discardReasons: string[];
}

export function applyPolicy<T extends PendingTrigger>(
  policy: TriggeringPolicy,
  input: { activeInvocations: number; pending: T[]; now: number },
): PolicyDecision<T> {
  let pending = [...input.pending].sort((a, b) => a.createdAt - b.createdAt);
  const discard: T[] = [];
  const discardReasons: string[] = [];
  const drop = (ts: T[], reason: string) => {
    discard.push(...ts);
    for (const _ of ts) discardReasons.push(reason);
  };
  if (pending.length > MAX_PENDING_TRIGGERS) {
    drop(pending.splice(0, pending.length - MAX_PENDING_TRIGGERS), `over ${MAX_PENDING_TRIGGERS} pending: the oldest are dropped`);
  }
  if (policy.kind === "NEWEST_FIRST") {
    const fresh = pending.filter((t) => t.createdAt >= input.now - policy.pendingTimeoutMillis);
    drop(pending.filter((t) => t.createdAt < input.now - policy.pendingTimeoutMillis),
      `pending longer than ${policy.pendingTimeoutMillis} ms (NEWEST_FIRST)`);
    pending = fresh;
  }
  const slots = Math.max(0, policy.maxConcurrentInvocations - input.activeInvocations);
  const requests: T[][] = [];
  for (let i = 0; i < slots && pending.length > 0; i++) {
    switch (policy.kind) {
      case "GREEDY_BATCHING":
        requests.push(pending.splice(0, policy.maxBatchSize));
        break;
      case "LOGARITHMIC_BATCHING": {
        // log_base(N) triggers, at least one: a backlog drains faster as it grows, but never all at once
        const n = Math.min(policy.maxBatchSize, Math.max(1, Math.floor(Math.log(pending.length) / Math.log(policy.logBase))));
        requests.push(pending.splice(0, n));
        break;
      }
      case "NEWEST_FIRST":
        requests.push([pending.pop()!]);
        break;
    }
  }
  return { requests, discard, discardReasons };
}
