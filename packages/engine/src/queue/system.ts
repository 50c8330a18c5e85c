import { HourglassError } from "../errors.ts";

/**
 * Queue names with this prefix are reserved for Hourglass's own queues
 * (`hourglass_invocations`, `hourglass_chains`): the engine creates and
 * writes them, and their jobs are only carriers (an invocation or a chain
 * job is the record). Deleting, pausing or reconfiguring one through the API
 * broke the scheduler, so the public API refuses every write to them and
 * only reads are allowed; the engine goes through QueueAdmin instead.
 */
export const SYSTEM_QUEUE_PREFIX = "hourglass_";

export function isSystemQueue(name: string): boolean {
  return name.startsWith(SYSTEM_QUEUE_PREFIX);
}

/** Throws QUEUE_RESERVED (HTTP 403) when a public call would `action` a system queue. */
export function refuseSystemQueue(name: string, action: string): void {
  if (!isSystemQueue(name)) return;
  throw new HourglassError(
    "QUEUE_RESERVED",
    `queue names starting with "${SYSTEM_QUEUE_PREFIX}" are reserved for Hourglass's own queues: ` +
      `cannot ${action} "${name}" through the API`,
  );
}
