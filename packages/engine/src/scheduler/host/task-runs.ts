import type { Sql } from "@hourglass/db";
import type { ExecutionResult } from "../../executors/types.ts";
import { DEBUG_LOG_LIMIT } from "./debug-log.ts";

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

/**
 * Records a run and its closing log lines on an invocation whatever its state:
 * for a task that ended after its invocation did (aborted) or that will run
 * again (worker shutdown). A run that ends its invocation is recorded by the
 * finishing statement instead (finishInTransaction), in the same update.
 */
export async function recordTaskRun(sql: Sql, invocationId: string, run: TaskRun, log: string): Promise<void> {
  await sql.query(
    `UPDATE scheduler_invocation SET task_runs = task_runs || jsonb_build_array($2::jsonb),
            debug_log = right(debug_log || $3, ${DEBUG_LOG_LIMIT})
      WHERE id = $1`,
    [invocationId, JSON.stringify(run), log],
  );
}
