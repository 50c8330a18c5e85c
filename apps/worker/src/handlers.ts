import type { Handler } from "@hourglass/sdk-worker";

/**
 * TypeScript job handlers this worker runs, written against
 * @hourglass/sdk-worker's API (the same a program's own worker uses). A queue
 * uses one with the executor { kind: "handler", name: "<key>" }; workers that
 * do not register the name leave that queue alone. Add yours here.
 */
export const handlers: Record<string, Handler> = {
  /** Example: echoes the job body as the attempt's output. */
  echo: async ({ job }) => ({ output: `${job.descriptor} attempt ${job.attempt}: ${job.body}` }),
};
