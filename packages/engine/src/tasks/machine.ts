/**
 * The run state machine, pure: what each event does to a task's current run,
 * whether a retry run follows, and when a dependency is satisfied. The
 * statements in sql/ apply exactly these decisions (each names the function
 * it mirrors); tests exercise them here with fixed times.
 */
import type { ReasonCreated, ReasonResolved, Requires, ResolvedState, RunState, TaskState } from "./states.ts";

/** A run as the machine sees it. */
export interface RunView {
  state: RunState;
  takenUntil: Date | null;
}

/** What ends a run. */
export type Resolution =
  | { kind: "completed" }
  | { kind: "failed" }
  | { kind: "exception"; reason: Exclude<ReasonResolved, "completed" | "failed"> };

/** The outcome of resolving a run: its final state and reason, and the retry run that follows, if any. */
export interface Resolved {
  state: ResolvedState;
  reasonResolved: ReasonResolved;
  /** The reasonCreated of the new pending run, or null when the task resolves with this run. */
  retry: Extract<ReasonCreated, "retry" | "task-retry"> | null;
}

/**
 * The retry a reason asks for: claim-expired and worker-shutdown are the
 * infrastructure's fault (`retry`), intermittent-task the task's own request
 * (`task-retry`); every other reason resolves the task.
 */
export function retryReasonFor(reason: ReasonResolved): Resolved["retry"] {
  if (reason === "claim-expired" || reason === "worker-shutdown") return "retry";
  if (reason === "intermittent-task") return "task-retry";
  return null;
}

/**
 * Resolves a run: completed and failed resolve the task; an exception
 * retries while `retriesLeft` > 0 and its reason asks for a retry (mirrored
 * by sql/resolveRuns.ts: `retries_left > 0 AND retry_reason IS NOT NULL`).
 */
export function resolveRun(r: Resolution, retriesLeft: number): Resolved {
  if (r.kind !== "exception") return { state: r.kind, reasonResolved: r.kind, retry: null };
  const retry = retriesLeft > 0 ? retryReasonFor(r.reason) : null;
  return { state: "exception", reasonResolved: r.reason, retry };
}

/** Which runs a report may resolve: only a running one (a pending run was never claimed). */
export function reportable(run: RunView): boolean {
  return run.state === "running";
}

/**
 * Whether a repeated report is the same report again (Taskcluster answers it
 * with the status rather than a conflict): the run already resolved as asked.
 */
export function alreadyReported(run: RunView & { reasonResolved: string | null }, r: Resolution): boolean {
  const reason = r.kind === "exception" ? r.reason : r.kind;
  return run.state === (r.kind === "exception" ? "exception" : r.kind) && run.reasonResolved === reason;
}

/** A running run whose lease lapsed: maintenance resolves it exception / claim-expired (sql/expireClaims.ts). */
export function claimExpired(run: RunView, now: Date): boolean {
  return run.state === "running" && run.takenUntil !== null && run.takenUntil.getTime() < now.getTime();
}

/** A task still unresolved at its deadline resolves exception / deadline-exceeded (sql/expireDeadlines.ts). */
export function deadlineExceeded(task: { state: TaskState; deadline: Date }, now: Date): boolean {
  return !isFinal(task.state) && task.deadline.getTime() <= now.getTime();
}

/** A run may be claimed or reclaimed only before its task's deadline. */
export function claimable(task: { deadline: Date }, now: Date): boolean {
  return task.deadline.getTime() > now.getTime();
}

function isFinal(state: TaskState): boolean {
  return state === "completed" || state === "failed" || state === "exception";
}

/**
 * Whether a dependency that resolved as `state` satisfies a dependent that
 * `requires` it (sql/satisfyDependents.ts): all-resolved takes any resolution,
 * all-completed only completed. A dependent whose dependency failed under
 * all-completed stays unscheduled until its own deadline, as in Taskcluster.
 */
export function satisfies(requires: Requires, state: ResolvedState): boolean {
  return requires === "all-resolved" || state === "completed";
}

/** A task is scheduled (gets its first run) when no dependency is left unsatisfied. */
export function readyToSchedule(task: { state: TaskState; unsatisfied: number }): boolean {
  return task.state === "unscheduled" && task.unsatisfied === 0;
}

/**
 * rerunTask: a resolved task gets a new pending run (reason rerun) and its
 * retries back; a pending or running one is left as it is (idempotent); an
 * unscheduled one is scheduled regardless of its dependencies.
 */
export function rerunEffect(state: TaskState): "new-run" | "schedule" | "none" {
  if (isFinal(state)) return "new-run";
  return state === "unscheduled" ? "schedule" : "none";
}

/**
 * cancelTask: an unscheduled task gets a run created resolved (reasonCreated
 * exception); a pending or running task's run resolves exception / canceled
 * with no retry; a resolved task is left as it is (idempotent).
 */
export function cancelEffect(state: TaskState): "resolve-unscheduled" | "resolve-run" | "none" {
  if (state === "unscheduled") return "resolve-unscheduled";
  return state === "pending" || state === "running" ? "resolve-run" : "none";
}
