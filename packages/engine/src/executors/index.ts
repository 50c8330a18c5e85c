import type { ExecutorConfig } from "./config.ts";
import { runHttp } from "./http.ts";
import { runNoop } from "./noop.ts";
import { runShell } from "./shell.ts";
import type { ExecutionInput, ExecutionResult, JobHandler, JobTools, OutputListener } from "./types.ts";

export interface ExecuteOptions {
  /** Environment for shell commands (what the worker chose to pass on). */
  baseEnv?: Record<string, string>;
  /** TypeScript handlers by name. */
  handlers?: Record<string, JobHandler>;
  /** Output as it is produced (shell and http; a handler's comes with its result). */
  onOutput?: OutputListener;
  /** For a handler running a queue job: its logger and checkpoint (the queue runtime's). */
  tools?: JobTools;
}

export * from "./config.ts";
export * from "./types.ts";

/** Runs one job with its queue's executor. Never throws: failures are results. */
export async function execute(
  config: ExecutorConfig,
  job: ExecutionInput,
  signal: AbortSignal,
  options: ExecuteOptions = {},
): Promise<ExecutionResult> {
  try {
    switch (config.kind) {
      case "noop":
        return await runNoop();
      case "http":
        return await runHttp(config, job, signal, options.onOutput);
      case "shell":
        return await runShell(config, job, signal, options.baseEnv ?? {}, options.onOutput);
      case "handler": {
        const handler = options.handlers?.[config.name];
        if (!handler) return { succeeded: false, error: `no handler named "${config.name}" is registered with this worker` };
        return (await handler(job, signal, options.tools)) ?? { succeeded: true };
      }
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { succeeded: false, error: config.kind === "handler" ? message : `executor ${config.kind} crashed: ${message}` };
  }
}
