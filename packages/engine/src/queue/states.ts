/**
 * The states of a queue job, PinLater's PinLaterJobState. Transitions
 * (drawn in docs/queue-job-states.md):
 *
 *   PENDING ──claim──▶ IN_PROGRESS ──ack ok──▶ SUCCEEDED ──GC──▶ (deleted)
 *      ▲                  │  ├──ack failed, attempts left──▶ PENDING (runAfter = now + retryDelay)
 *      │                  │  ├──ack failed, none left──────▶ FAILED ──GC──▶ (deleted)
 *      │                  │  ├──lease expired──▶ PENDING, or FAILED when none left
 *      └──checkpoint moveToPending / worker release──┘
 *   FAILED ──retryFailedJobs──▶ PENDING
 *   PENDING / FAILED / SUCCEEDED ──requeueJobs──▶ PENDING (new runAfter / attempts; never a claimed job)
 *   PENDING ──cancelJobs──▶ FAILED (before any worker claims it)
 */
export const QUEUE_JOB_STATES = ["PENDING", "IN_PROGRESS", "SUCCEEDED", "FAILED"] as const;
export type QueueJobState = (typeof QUEUE_JOB_STATES)[number];

export const QUEUE_JOB_STATE_DOC: Record<QueueJobState, string> = {
  PENDING: "Waiting to be dequeued; eligible once runAfter has passed.",
  IN_PROGRESS: "Claimed by a consumer that must ack or checkpoint it before its lease expires.",
  SUCCEEDED: "Acked as succeeded; deleted by GC after the queue's succeeded retention.",
  FAILED: "Failed with no attempts left; deleted by GC after the queue's failed retention.",
};

/** Final states: nothing moves a job out of them except an operator's retry or requeue, and GC. */
export function isFinal(state: QueueJobState): boolean {
  return state === "SUCCEEDED" || state === "FAILED";
}
