/**
 * The states of a request and of its chain jobs (Spin Cycle's), as the
 * database enums `RequestState` and `ChainJobState` spell them. Every
 * transition is one guarded statement in chains/sql/ that also writes its
 * event; docs/request-states.md and docs/chain-job-states.md draw them.
 * Pure: the dashboard and the CLI import this file.
 */

/**
 * A request's states. Transitions: PENDING → RUNNING → COMPLETE | FAIL |
 * STOPPED; RUNNING ⇄ SUSPENDED; PENDING / SUSPENDED → STOPPED; SUSPENDED →
 * FAIL (past its TTL); RUNNING → FAIL once a job failed for good and none runs.
 */
export const REQUEST_STATES = [
  "PENDING",
  "RUNNING",
  "SUSPENDED",
  "COMPLETE",
  "FAIL",
  "STOPPED",
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

export const REQUEST_STATE_DOC: Record<RequestState, string> = {
  PENDING: "Created, its chain stored; not started.",
  RUNNING: "Its jobs run as their parents complete.",
  SUSPENDED: "Paused with progress kept (by an operator, or a worker shutting down); resume continues it.",
  COMPLETE: "Every job completed.",
  FAIL: "A job failed with no retries left, or it stayed suspended past its TTL.",
  STOPPED: "Stopped by an operator; running jobs were killed.",
};

/** States in which the chain is done: nothing moves a request out of them. */
export const FINAL_REQUEST_STATES = ["COMPLETE", "FAIL", "STOPPED"] as const satisfies readonly RequestState[];
export type FinalRequestState = (typeof FINAL_REQUEST_STATES)[number];

/** States an operator may stop a request in (every state that is not final). */
export const STOPPABLE_REQUEST_STATES = ["PENDING", "RUNNING", "SUSPENDED"] as const satisfies readonly RequestState[];

export function isFinalRequestState(state: string): state is FinalRequestState {
  return (FINAL_REQUEST_STATES as readonly string[]).includes(state);
}

/** Whether a request in `state` can still be stopped. */
export function isStoppableRequestState(state: string): boolean {
  return (STOPPABLE_REQUEST_STATES as readonly string[]).includes(state);
}

/**
 * A chain job's states. Transitions: PENDING → RUNNING (a try begins) →
 * COMPLETE | FAIL, or back to PENDING (a failed try with retries left, a try
 * interrupted by suspend or a worker shutting down); PENDING / RUNNING →
 * STOPPED (its request was stopped); any → PENDING (its sequence reruns).
 */
export const CHAIN_JOB_STATES = ["PENDING", "RUNNING", "COMPLETE", "FAIL", "STOPPED"] as const;
export type ChainJobState = (typeof CHAIN_JOB_STATES)[number];

export const CHAIN_JOB_STATE_DOC: Record<ChainJobState, string> = {
  PENDING: "Waiting for its parents, its retry wait or its request's resume.",
  RUNNING: "A try is running on a worker.",
  COMPLETE: "Its last try succeeded; its children may run.",
  FAIL: "Its last try failed with no job or sequence retries left.",
  STOPPED: "Its request was stopped before it finished.",
};

/** States a chain job stays in until its sequence reruns or its request ends. */
export function isFinalChainJobState(state: string): boolean {
  return state === "COMPLETE" || state === "FAIL" || state === "STOPPED";
}

/**
 * How one try of a chain job ended, as its job log row (chain_job_log.state)
 * says. A try that was lost (its worker died) is FAIL with an error saying so.
 */
export const CHAIN_TRY_STATES = ["RUNNING", "COMPLETE", "FAIL", "STOPPED"] as const;
export type ChainTryState = (typeof CHAIN_TRY_STATES)[number];

export const CHAIN_TRY_STATE_DOC: Record<ChainTryState, string> = {
  RUNNING: "The try is running (or its worker died; a redelivery marks it lost).",
  COMPLETE: "The try succeeded.",
  FAIL: "The try failed, or was lost with its worker.",
  STOPPED: "The try was cut short by stop, suspend or its worker shutting down.",
};

/** Why a request is SUSPENDED (request.suspend_reason): who is expected to resume it. */
export const SUSPEND_REASONS = ["operator", "worker-shutdown"] as const;
export type SuspendReason = (typeof SUSPEND_REASONS)[number];
