/**
 * The states of a scheduler invocation (LUCI's task.Status), as the database
 * enum `InvocationState` spells them. Transitions (drawn in
 * docs/invocation-states.md), each one guarded statement in scheduler/sql/
 * that writes its `invocation` event in the same statement:
 *
 *   (new) ──triage──▶ STARTING ──launch──▶ RUNNING ──task ends──▶ SUCCEEDED | FAILED
 *   (new) ──a quiet job's tick timer──▶ RUNNING
 *   RUNNING ──launch lost (its carrier ran again)──▶ RETRYING ──relaunch──▶ RUNNING
 *   RUNNING ──lost more than LAUNCH_RETRY_LIMIT times──▶ FAILED
 *   STARTING | RETRYING | RUNNING ──abort──▶ ABORTED
 *
 * Writers: sql/createInvocations.ts (new), sql/launchInvocations.ts (→ RUNNING),
 * sql/retryInvocation.ts (→ RETRYING), sql/finishInvocations.ts (→ final).
 * Pure: the dashboard imports this file.
 */
export const INVOCATION_STATES = ["STARTING", "RETRYING", "RUNNING", "SUCCEEDED", "FAILED", "ABORTED"] as const;
export type InvocationState = (typeof INVOCATION_STATES)[number];

export const INVOCATION_STATE_DOC: Record<InvocationState, string> = {
  STARTING: "Created by triage with the triggers its policy picked; its task is about to launch.",
  RETRYING: "Its previous launch was lost with its worker; it is being launched again.",
  RUNNING: "Its task runs on a worker (a quiet job's tick timer creates it here directly).",
  SUCCEEDED: "Its task finished successfully; the jobs it triggers got their triggers.",
  FAILED: "Its task failed, or its launch was lost more often than the retry limit allows.",
  ABORTED: "An operator aborted it (or the request it started was stopped); its task was killed.",
};

/** States in which an invocation counts against its job's maxConcurrentInvocations. */
export const ACTIVE_INVOCATION_STATES = ["STARTING", "RETRYING", "RUNNING"] as const satisfies readonly InvocationState[];
export type ActiveInvocationState = (typeof ACTIVE_INVOCATION_STATES)[number];

/** States nothing moves an invocation out of; `finished_at` is set exactly in them (a CHECK constraint). */
export const FINAL_INVOCATION_STATES = ["SUCCEEDED", "FAILED", "ABORTED"] as const satisfies readonly InvocationState[];
export type FinalInvocationState = (typeof FINAL_INVOCATION_STATES)[number];

/** States a launch moves to RUNNING. */
export const LAUNCHABLE_INVOCATION_STATES = ["STARTING", "RETRYING"] as const satisfies readonly InvocationState[];

export function isActiveInvocationState(state: string): state is ActiveInvocationState {
  return (ACTIVE_INVOCATION_STATES as readonly string[]).includes(state);
}

export function isFinalInvocationState(state: string): state is FinalInvocationState {
  return (FINAL_INVOCATION_STATES as readonly string[]).includes(state);
}

/**
 * The `action` of each invocation event: `created` (to STARTING or RUNNING),
 * `launched` (→ RUNNING), `retrying` (RUNNING → RETRYING), and the final
 * state in lower case (`succeeded`, `failed`, `aborted`); `task_ended` (no
 * transition) when a task's run ends after its invocation did (aborted) or
 * before its relaunch (worker shutdown).
 */
export const INVOCATION_ACTIONS = ["created", "launched", "retrying", "succeeded", "failed", "aborted", "task_ended"] as const;
export type InvocationAction = (typeof INVOCATION_ACTIONS)[number];

/** The action of an end in `state`. */
export const finishAction = (state: FinalInvocationState) => state.toLowerCase() as "succeeded" | "failed" | "aborted";

/** SQL: `column` is one of the active states (a literal list, so the planner sees it). */
export const activeInvocationSql = (column: string) =>
  `${column} IN (${ACTIVE_INVOCATION_STATES.map((s) => `'${s}'`).join(", ")})`;
