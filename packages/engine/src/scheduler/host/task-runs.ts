import type { ExecutionResult } from "../../executors/types.ts";

/**
 * How one run of an invocation's task ended. SUCCEEDED / FAILED: it ran to
 * its end (exit code, HTTP status); ABORTED: killed because the invocation
 * was aborted; INTERRUPTED: its worker shut down (the launch is retried).
 */
export type TaskRunOutcome = "SUCCEEDED" | "FAILED" | "ABORTED" | "INTERRUPTED";

/**
 * One run of a task (a launch that ran it), as kept in scheduler_invocation.task_runs,
 * oldest first. A launch lost with its worker (killed mid-run) records none; the
 * invocation's retry count says how many were.
 */
export interface TaskRun {
  outcome: TaskRunOutcome;
  startedAtTimestampMillis: number;
  finishedAtTimestampMillis: number;
  exitCode: number | null;
  httpStatus: number | null;
  error: string | null;
  /** Bounded as the executors bound them (OUTPUT_LIMIT each). */
  stdout: string;
  stderr: string;
}

export function taskRun(outcome: TaskRunOutcome, startedAt: Date, finishedAt: Date, r: ExecutionResult): TaskRun {
  return {
    outcome, startedAtTimestampMillis: startedAt.getTime(), finishedAtTimestampMillis: finishedAt.getTime(),
    exitCode: r.exitCode ?? null, httpStatus: r.httpStatus ?? null, error: r.error ?? null,
    stdout: r.stdout ?? "", stderr: r.stderr ?? "",
  };
}
