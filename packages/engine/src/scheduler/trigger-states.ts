/**
 * The states of a trigger (a row of scheduler_trigger, LUCI's internal.Trigger).
 * They are not a column: `invocation_id` and `discarded_at` say which one a
 * row is in (triggerStateSql). Transitions (drawn in docs/trigger-states.md),
 * each written with its `trigger` event in the same statement:
 *
 *   (new) ──emitted──▶ PENDING ──consumed by an invocation──▶ CONSUMED
 *                         └──discarded by triage (policy, pause, trimming)──▶ DISCARDED
 *   (new) ──a quiet job's tick, consumed on arrival──▶ CONSUMED (no row, no event of its own:
 *         the `created` event of the invocation its timer started carries it, in `payload.ticks`)
 *
 * Writers: sql/emitTriggers.ts (new rows: emitTriggers, cron ticks, continuous
 * jobs, job-to-job triggers), sql/createInvocations.ts (consumed, and ticks
 * consumed on arrival), sql/discardTriggers.ts (discarded). Pure.
 */
export const TRIGGER_STATES = ["PENDING", "CONSUMED", "DISCARDED"] as const;
export type TriggerState = (typeof TRIGGER_STATES)[number];

export const TRIGGER_STATE_DOC: Record<TriggerState, string> = {
  PENDING: "Waiting for triage to start an invocation with it (or to discard it).",
  CONSUMED: "An invocation started with it (its incoming triggers list it); kept for id dedup.",
  DISCARDED: "Triage dropped it: the job was paused or disabled, or its policy let it go.",
};

export function isPendingTrigger(state: TriggerState): boolean {
  return state === "PENDING";
}

/** Final states: a trigger never leaves them (its id stays taken for the job). */
export function isFinalTrigger(state: TriggerState): boolean {
  return state === "CONSUMED" || state === "DISCARDED";
}

/** The `action` of each trigger event. */
export const TRIGGER_ACTIONS = ["emitted", "consumed", "discarded"] as const;
export type TriggerAction = (typeof TRIGGER_ACTIONS)[number];

/**
 * A trigger's entity id in the event log: "<project>/<job>:<trigger id>".
 * Trigger ids are unique per job only; a job key holds no ':', so the first
 * one splits it.
 */
export const triggerEntityId = (jobKey: string, triggerId: string) => `${jobKey}:${triggerId}`;

/** The same in SQL, over text expressions. */
export const triggerEntitySql = (jobKey: string, triggerId: string) => `(${jobKey} || ':' || (${triggerId}))`;

/** A trigger row's state as SQL over scheduler_trigger `t`. */
export const triggerStateSql = (t = "t") =>
  `CASE WHEN ${t}.invocation_id IS NOT NULL THEN 'CONSUMED' WHEN ${t}.discarded_at IS NOT NULL THEN 'DISCARDED' ELSE 'PENDING' END`;

/** SQL: the trigger row `t` is pending. */
export const pendingTriggerSql = (t = "t") => `${t}.invocation_id IS NULL AND ${t}.discarded_at IS NULL`;
