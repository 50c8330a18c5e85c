import { MAX_BIGINT } from "../bounds.ts";
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

/** The descriptor's parts, or why it is not one enqueueJobs could have returned. */
function parse(descriptor: string): { queueName: string; id: string } | string {
  const m = DESCRIPTOR.exec(descriptor);
  const shown = JSON.stringify(descriptor.length > 80 ? `${descriptor.slice(0, 80)}…` : descriptor);
  if (!m) return `${shown} is not a job descriptor (expected "<queue>:<id>", as enqueueJobs returns)`;
  // the regex lets 19 digits through; ids are bigints
  if (BigInt(m[2]!) > MAX_BIGINT) return `${shown} is not a job descriptor: its id is above ${MAX_BIGINT}, the largest id`;
  return { queueName: m[1]!, id: m[2]! };
}

/** Why `descriptor` is not a job descriptor, or null when it is one (for schemas). */
export function descriptorProblem(descriptor: string): string | null {
  const parsed = parse(descriptor);
  return typeof parsed === "string" ? parsed : null;
}

export function parseJobDescriptor(descriptor: string): { queueName: string; id: string } {
  const parsed = parse(descriptor);
  if (typeof parsed === "string") throw new HourglassError("INVALID_ARGUMENT", parsed);
  return parsed;
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
