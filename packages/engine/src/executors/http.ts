import type { z } from "zod";
import type { httpExecutorSchema } from "./config.ts";
import { BoundedOutput, type ExecutionInput, type ExecutionResult, type OutputListener } from "./types.ts";

/**
 * Calls a URL; a 2xx status is success. The job's body is sent as the
 * request body unless the config sets one; x-hourglass-job and
 * x-hourglass-attempt headers identify the run (and make retries traceable).
 * `onOutput` sees the response body's chunks as they arrive (as stdout).
 */
export async function runHttp(
  config: z.infer<typeof httpExecutorSchema>,
  job: ExecutionInput,
  signal: AbortSignal,
  onOutput?: OutputListener,
): Promise<ExecutionResult> {
  const withBody = config.method !== "GET" && config.method !== "DELETE";
  const timeout = AbortSignal.timeout(config.timeoutMillis);
  try {
    const response = await fetch(config.url, {
      method: config.method,
      headers: { ...config.headers, "x-hourglass-job": job.jobDescriptor, "x-hourglass-attempt": String(job.attempt) },
      body: withBody ? (config.body ?? job.body) : undefined,
      signal: AbortSignal.any([signal, timeout]),
    });
    const out = new BoundedOutput();
    const reader = response.body?.getReader();
    for (let r = await reader?.read(); r && !r.done; r = await reader!.read()) {
      const chunk = Buffer.from(r.value);
      out.push(chunk);
      onOutput?.("stdout", chunk);
    }
    const ok = response.status >= 200 && response.status < 300;
    return {
      succeeded: ok,
      httpStatus: response.status,
      stdout: out.toString(),
      error: ok ? null : `HTTP ${response.status} ${response.statusText}`,
    };
  } catch (err) {
    const reason = timeout.aborted ? `timed out after ${config.timeoutMillis} ms` : signal.aborted ? "interrupted: worker shutting down" : String((err as Error).cause ?? (err as Error).message);
    return { succeeded: false, httpStatus: null, error: `${config.method} ${config.url} failed: ${reason}` };
  }
}
