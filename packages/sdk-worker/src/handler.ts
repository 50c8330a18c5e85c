import type { JobHandler } from "../../engine/src/worker/index.ts";
import { withFields } from "./logger.ts";
import type { Handler, HandlerContext, Logger } from "./types.ts";

/**
 * A handler of this SDK as the engine's runtime runs it. On a queue job the
 * runtime gives the claim's checkpoint; a chain job or scheduler task of the
 * handler's name has no queue job of its own (its claim is kept alive by the
 * runtime), so there checkpoint and setCustomStatus only say whether the run
 * goes on.
 */
export function toJobHandler(handler: Handler, logger: Logger): JobHandler {
  return async (input, signal, tools) => {
    const id = input.jobDescriptor.slice(input.jobDescriptor.lastIndexOf(":") + 1);
    const held = async () => !signal.aborted;
    const context: HandlerContext = {
      job: {
        descriptor: input.jobDescriptor, id, queueName: input.queueName, body: input.body,
        attempt: input.attempt, attemptsRemaining: input.attemptsRemaining,
      },
      signal,
      logger: tools?.logger ?? withFields(logger, { jobDescriptor: input.jobDescriptor }),
      checkpoint: tools ? (change = {}) => tools.checkpoint(change.body === undefined ? {} : { body: change.body }) : held,
      setCustomStatus: tools ? (status) => tools.checkpoint({ customStatus: status }) : held,
    };
    const result = await handler(context);
    return { succeeded: true, stdout: result?.output, sets: result?.sets };
  };
}

/** Every handler of a map, for the engine's createWorker (Hourglass's own worker runs its handlers so). */
export function toJobHandlers(handlers: Record<string, Handler>, logger: Logger): Record<string, JobHandler> {
  return Object.fromEntries(Object.entries(handlers).map(([name, h]) => [name, toJobHandler(h, logger)]));
}
