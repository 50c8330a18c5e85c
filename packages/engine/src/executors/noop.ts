import type { ExecutionResult } from "./types.ts";

/** Succeeds at once and records nothing: the baseline for throughput. */
export async function runNoop(): Promise<ExecutionResult> {
  return { succeeded: true };
}
