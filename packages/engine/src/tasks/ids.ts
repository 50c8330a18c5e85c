import { randomBytes } from "node:crypto";

/**
 * Taskcluster's identifier patterns. A taskId / taskGroupId is a slugid: 22
 * url-safe base64 characters of a v4 UUID. The nice form (first bit 0, so it
 * never starts with `-`) is what `newTaskId` makes, as slugid.nice() does.
 */
export const SLUGID = /^[A-Za-z0-9_-]{8}[Q-T][A-Za-z0-9_-][CGKOSWaeimquy26-][A-Za-z0-9_-]{10}[AQgw]$/;
/** schedulerId, workerGroup, workerId, provisionerId, workerType. */
export const IDENTIFIER = /^[a-zA-Z0-9-_]{1,38}$/;
/** "<provisionerId>/<workerType>". */
export const TASK_QUEUE_ID = /^[a-zA-Z0-9-_]{1,38}\/[a-zA-Z0-9-_]{1,38}$/;

/** A new nice slugid. */
export function newTaskId(): string {
  const b = randomBytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40; // version 4
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
  b[0] = b[0]! & 0x7f; // nice: never a leading '-'
  return b.toString("base64url");
}

/** "<provisionerId>/<workerType>" split at its slash. */
export function splitTaskQueueId(taskQueueId: string): { provisionerId: string; workerType: string } {
  const slash = taskQueueId.indexOf("/");
  return { provisionerId: taskQueueId.slice(0, slash), workerType: taskQueueId.slice(slash + 1) };
}
