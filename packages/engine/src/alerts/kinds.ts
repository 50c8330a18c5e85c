/**
 * What an alert rule watches. Event kinds fire on one event of the log
 * (matched by the evaluator that follows it); threshold kinds fire when a
 * periodic measurement crosses its limit (and again only after it cleared).
 */
export const ALERT_KINDS = [
  "invocation_failed",
  "job_recovered",
  "schedule_late",
  "queue_backlog",
  "queue_oldest_pending",
  "request_failed",
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_KIND_DOC: Record<AlertKind, string> = {
  invocation_failed: "An invocation of a scheduler job ended FAILED.",
  job_recovered: "A scheduler job's invocation SUCCEEDED right after one that FAILED (the first success after failures).",
  schedule_late: "A cron slot was missed (passed over by a catch-up) or its invocation started later than the limit.",
  queue_backlog: "More than the limit of due PENDING jobs wait in a queue.",
  queue_oldest_pending: "A queue's oldest due PENDING job has waited longer than the limit.",
  request_failed: "A request ended FAIL.",
};

/** What a rule's `target` names, per kind: a job id of the project, a queue, or a request type (null = every one). */
export const ALERT_TARGET: Record<AlertKind, "job" | "queue" | "request type"> = {
  invocation_failed: "job",
  job_recovered: "job",
  schedule_late: "job",
  queue_backlog: "queue",
  queue_oldest_pending: "queue",
  request_failed: "request type",
};

export const THRESHOLD_KINDS = ["queue_backlog", "queue_oldest_pending"] as const satisfies readonly AlertKind[];
export type ThresholdKind = (typeof THRESHOLD_KINDS)[number];

export function isThresholdKind(kind: string): kind is ThresholdKind {
  return (THRESHOLD_KINDS as readonly string[]).includes(kind);
}

/**
 * The states of one notification (an alert delivery). Transitions:
 *
 *   COLLECTING ──window closes──▶ SENDING ──accepted──▶ DELIVERED
 *                                   │  └──failed, attempts left──▶ SENDING (next attempt after a backoff)
 *                                   └──failed, none left──▶ FAILED
 *
 * A test notification starts SENDING.
 */
export const DELIVERY_STATES = ["COLLECTING", "SENDING", "DELIVERED", "FAILED"] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export const DELIVERY_STATE_DOC: Record<DeliveryState, string> = {
  COLLECTING: "Its collapse window is open: further firings of the rule add to its count; it is sent when the window closes.",
  SENDING: "Its window closed and its body is fixed; an attempt is due or running (after a failure, once the backoff has passed).",
  DELIVERED: "The webhook answered 2xx, or the SMTP server accepted the mail.",
  FAILED: "Every attempt failed; nothing more is tried.",
};

/** Final states: nothing moves a delivery out of them. */
export function isFinalDeliveryState(state: string): boolean {
  return state === "DELIVERED" || state === "FAILED";
}
