import type { ExecutionResult, ExecutorConfig } from "../executors/index.ts";

/** A claim a worker holds: ready, claimed ahead, or running. */
export interface Held {
  queueName: string;
  id: string;
  claimDescriptor: string;
  body: string;
  attempt: number;
  attemptsRemaining: number;
  executor: ExecutorConfig;
  /** When the lease was last taken or extended (Date.now()). */
  leasedAt: number;
}

/**
 * Which runs leave an attempt record: shell and http always (their output is
 * the point), noop never, handlers when they report output or fail. Keeping
 * no row for a silent success keeps the hot path to two statements per batch.
 */
export function keepsAttempt(executor: ExecutorConfig, result: ExecutionResult): boolean {
  if (executor.kind === "shell" || executor.kind === "http") return true;
  if (executor.kind === "noop") return false;
  return !result.succeeded || Boolean(result.stdout || result.stderr || result.error);
}
