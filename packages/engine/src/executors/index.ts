import type { ExecutorConfig } from "./config.ts";
import { runHttp } from "./http.ts";
import { runNoop } from "./noop.ts";
import { runShell } from "./shell.ts";
import type { ExecutionInput, ExecutionResult } from "./types.ts";

export * from "./config.ts";
export * from "./types.ts";

/** Runs one job with its queue's executor. Never throws: failures are results. */
export async function execute(
  config: ExecutorConfig,
  job: ExecutionInput,
  signal: AbortSignal,
  baseEnv: Record<string, string> = {},
): Promise<ExecutionResult> {
  try {
    switch (config.kind) {
      case "noop":
        return await runNoop();
      case "http":
        return await runHttp(config, job, signal);
      case "shell":
        return await runShell(config, job, signal, baseEnv);
    }
  } catch (err) {
    return { succeeded: false, error: `executor ${config.kind} crashed: ${(err as Error).message}` };
  }
}
