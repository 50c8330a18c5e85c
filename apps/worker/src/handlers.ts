import type { JobHandler } from "@hourglass/engine/worker";

/**
 * TypeScript job handlers this worker runs. A queue uses one with the
 * executor { kind: "handler", name: "<key>" }; workers that do not register
 * the name leave that queue alone. Add yours here.
 */
export const handlers: Record<string, JobHandler> = {
  /** Example: echoes the job body as the attempt's output. */
  echo: async (job) => ({ succeeded: true, stdout: `${job.jobDescriptor} attempt ${job.attempt}: ${job.body}` }),
};
