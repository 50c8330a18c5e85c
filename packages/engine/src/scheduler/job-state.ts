import type { JobDefinition } from "./catalog.ts";
import { activeInvocationSql } from "./invocation-states.ts";

/** A job's public state, as LUCI computes it. */
export const JOB_STATES = ["RUNNING", "DISABLED", "PAUSED", "SCHEDULED", "WAITING"] as const;
export type JobState = (typeof JOB_STATES)[number];

export const JOB_STATE_DOC: Record<JobState, string> = {
  RUNNING: "An invocation is active.",
  DISABLED: "Disabled in the config, or removed from it.",
  PAUSED: "Paused by an operator, or by itself after failing (pause_after_failures): no ticks, triggers ignored; running invocations continue.",
  SCHEDULED: "Waiting for its next scheduled tick.",
  WAITING: "Waiting for a trigger.",
};

const ACTIVE_SQL = activeInvocationSql("i.state");

/**
 * The public state as a SQL expression over scheduler_job `j` (one place for
 * the rule, used by lists, counts and single reads):
 * disabled or removed > an active invocation > paused > a tick armed > waiting.
 * `active` says whether the job has an active invocation; by default a probe per row.
 */
export function jobStateSql(active = `EXISTS (SELECT 1 FROM scheduler_invocation i WHERE i.job_key = j.key AND ${ACTIVE_SQL})`): string {
  return `CASE
  WHEN j.removed_at IS NOT NULL OR (j.definition->>'disabled')::boolean THEN 'DISABLED'
  WHEN ${active} THEN 'RUNNING'
  WHEN j.paused_at IS NOT NULL THEN 'PAUSED'
  WHEN j.next_tick_at IS NOT NULL THEN 'SCHEDULED'
  ELSE 'WAITING' END`;
}

/**
 * Counts of jobs per project and state in one pass. The jobs with an active
 * invocation are found once (a few rows of the (state, job_key) index) and
 * joined, rather than probed job by job.
 */
export const JOB_STATE_COUNTS_SQL = `
SELECT j.project_id, ${jobStateSql("a.job_key IS NOT NULL")} AS state, count(*)::int AS n
  FROM scheduler_job j
  LEFT JOIN (SELECT DISTINCT i.job_key FROM scheduler_invocation i WHERE ${ACTIVE_SQL}) a ON a.job_key = j.key
 GROUP BY 1, 2`;

/** Periodic (has a schedule), triggered (only runs on triggers), or triggering (triggers others). */
export function jobFlavor(def: JobDefinition): "periodic" | "triggered" | "triggering" {
  if (def.triggers.length > 0) return "triggering";
  return def.schedule.kind === "triggered" ? "triggered" : "periodic";
}

/**
 * A job's pause state (scheduler_job.paused_at, paused_by, pause_reason): an
 * operator's switch, written only by sql/pauseJob.ts (ACTIVE → PAUSED),
 * sql/pauseFailingJobs.ts (ACTIVE → PAUSED by the scheduler, after
 * `pause_after_failures` failed invocations in a row) and sql/resumeJob.ts
 * (PAUSED → ACTIVE), each with its `scheduler_job` event.
 */
export const PAUSE_STATES = ["ACTIVE", "PAUSED"] as const;
export type PauseState = (typeof PAUSE_STATES)[number];

export const PAUSE_STATE_DOC: Record<PauseState, string> = {
  ACTIVE: "Not paused: its ticks and triggers start invocations.",
  PAUSED: "Paused by an operator (or by the scheduler after failures): no ticks, new triggers ignored, pending ones discarded; running invocations continue.",
};

/**
 * The `action` of each `scheduler_job` event (entity id "<project>/<job>",
 * actor the operator): paused, resumed (both with a reason), aborted (its
 * active invocations, each with its own `invocation` event), triggered (a
 * manual trigger from the dashboard, its trigger with its own `trigger` event),
 * backfilled (a backfill was created: its range, overlap choice and slot counts;
 * each slot's invocation has its own `created` event).
 */
export const SCHEDULER_JOB_ACTIONS = ["paused", "resumed", "aborted", "triggered", "backfilled"] as const;
export type SchedulerJobAction = (typeof SCHEDULER_JOB_ACTIONS)[number];
