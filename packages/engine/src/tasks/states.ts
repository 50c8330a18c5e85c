/**
 * Taskcluster's task and run states and reasons, with a doc line each
 * (drawn in docs/task-run-states.md). A task's state is its last run's, or
 * `unscheduled` before it has one; a run moves pending → running → resolved
 * (completed, failed or exception) and never back: a retry or a rerun is a
 * new run.
 */
export const RUN_STATES = ["pending", "running", "completed", "failed", "exception"] as const;
export type RunState = (typeof RUN_STATES)[number];

export const RUN_STATE_DOC: Record<RunState, string> = {
  pending: "Scheduled: waiting for a worker of its task queue to claim it.",
  running: "Claimed by a worker (workerGroup / workerId), which holds it until takenUntil unless it reclaims.",
  completed: "The worker reported it completed (reportCompleted): the task's code succeeded.",
  failed: "The worker reported it failed (reportFailed): the task's code ran and failed.",
  exception: "Resolved by an exception: the worker reported one, or it was canceled, its deadline or its claim passed.",
};

export const TASK_STATES = ["unscheduled", ...RUN_STATES] as const;
export type TaskState = (typeof TASK_STATES)[number];

export const TASK_STATE_DOC: Record<TaskState, string> = {
  unscheduled: "Created but not scheduled: waiting for its dependencies (or scheduleTask); it has no run yet.",
  ...RUN_STATE_DOC,
};

/** Resolved states: a run in one never changes again. */
export type ResolvedState = Extract<RunState, "completed" | "failed" | "exception">;

export function isResolved(state: TaskState): state is ResolvedState {
  return state === "completed" || state === "failed" || state === "exception";
}

/** Why a run was created (Taskcluster's reasonCreated). */
export const REASONS_CREATED = ["scheduled", "retry", "task-retry", "rerun", "exception"] as const;
export type ReasonCreated = (typeof REASONS_CREATED)[number];

export const REASON_CREATED_DOC: Record<ReasonCreated, string> = {
  scheduled: "The task's first run: its dependencies were satisfied, it had none, or scheduleTask forced it.",
  retry: "An automatic retry after the previous run's claim expired or its worker shut down.",
  "task-retry": "An automatic retry the task asked for (the previous run resolved exception / intermittent-task).",
  rerun: "rerunTask started the task again after it had resolved.",
  exception: "Created already resolved, to record that an unscheduled task was canceled or passed its deadline.",
};

/** Why a run was resolved (Taskcluster's reasonResolved). */
export const REASONS_RESOLVED = [
  "completed",
  "failed",
  "deadline-exceeded",
  "canceled",
  "superseded",
  "claim-expired",
  "worker-shutdown",
  "malformed-payload",
  "resource-unavailable",
  "internal-error",
  "intermittent-task",
] as const;
export type ReasonResolved = (typeof REASONS_RESOLVED)[number];

export const REASON_RESOLVED_DOC: Record<ReasonResolved, string> = {
  completed: "reportCompleted: the task's code succeeded.",
  failed: "reportFailed: the task's code ran and failed.",
  "deadline-exceeded": "The task's deadline passed before it resolved (maintenance).",
  canceled: "cancelTask or cancelTaskGroup.",
  superseded: "reportException: the worker found the task superseded by another.",
  "claim-expired": "Its takenUntil passed without a reclaim (maintenance); retried while retries are left.",
  "worker-shutdown": "reportException: the worker shut down before finishing; retried while retries are left.",
  "malformed-payload": "reportException: the worker cannot run this payload.",
  "resource-unavailable": "reportException: a resource the task needs is unavailable.",
  "internal-error": "reportException: the worker failed internally.",
  "intermittent-task": "reportException: the task asked to be retried; retried (task-retry) while retries are left.",
};

/** The reasons a worker may give to reportException (Taskcluster's task-exception-request). */
export const EXCEPTION_REASONS = [
  "worker-shutdown",
  "malformed-payload",
  "resource-unavailable",
  "internal-error",
  "superseded",
  "intermittent-task",
] as const;
export type ExceptionReason = (typeof EXCEPTION_REASONS)[number];

/** "all-completed": every dependency must complete; "all-resolved": every one must resolve, however. */
export const REQUIRES = ["all-completed", "all-resolved"] as const;
export type Requires = (typeof REQUIRES)[number];
