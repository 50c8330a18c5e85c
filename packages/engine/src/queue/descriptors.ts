import { HourglassError } from "../errors.ts";

export const QUEUE_NAME_MAX = 64;
const QUEUE_NAME = /^[A-Za-z0-9_]+$/;

/** PinLater's rule: alphanumeric and underscore only; plus a length limit. */
export function checkQueueName(name: string): string {
  if (name.length > QUEUE_NAME_MAX) {
    throw new HourglassError("QUEUE_NAME_TOO_LONG", `queue name is ${name.length} characters; the limit is ${QUEUE_NAME_MAX}`);
  }
  if (!QUEUE_NAME.test(name)) {
    throw new HourglassError("QUEUE_NAME_INVALID", `queue name "${name}" may contain only letters, digits and underscores`);
  }
  return name;
}

/**
 * A job descriptor names a job for its whole life: "<queue>:<id>". Unlike
 * PinLater's it carries no shard or priority (there is one database).
 */
export function formatJobDescriptor(queueName: string, id: string | bigint): string {
  return `${queueName}:${id}`;
}

const DESCRIPTOR = /^([A-Za-z0-9_]{1,64}):([1-9][0-9]{0,18})$/;

export function parseJobDescriptor(descriptor: string): { queueName: string; id: string } {
  const m = DESCRIPTOR.exec(descriptor);
  if (!m) {
    throw new HourglassError("INVALID_ARGUMENT", `"${descriptor}" is not a job descriptor (expected "<queue>:<id>", as enqueueJobs returns)`);
  }
  return { queueName: m[1]!, id: m[2]! };
}

/** Parses descriptors that must all belong to `queueName` (acks and checkpoints are per queue). */
export function jobIdsOfQueue(queueName: string, descriptors: string[]): string[] {
  return descriptors.map((d) => {
    const parsed = parseJobDescriptor(d);
    if (parsed.queueName !== queueName) {
      throw new HourglassError("INVALID_ARGUMENT", `job ${d} belongs to queue "${parsed.queueName}", not "${queueName}"`);
    }
    return parsed.id;
  });
}
