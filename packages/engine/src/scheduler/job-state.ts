import type { JobDefinition } from "./catalog.ts";

/** A job's public state, as LUCI computes it. */
export const JOB_STATES = ["RUNNING", "DISABLED", "PAUSED", "SCHEDULED", "WAITING"] as const;
export type JobState = (typeof JOB_STATES)[number];

export const JOB_STATE_DOC: Record<JobState, string> = {
  RUNNING: "An invocation is active.",
  DISABLED: "Disabled in the config, or removed from it.",
  PAUSED: "Paused by an operator: no ticks, triggers ignored; running invocations continue.",
  SCHEDULED: "Waiting for its next scheduled tick.",
  WAITING: "Waiting for a trigger.",
};

/**
 * The public state as a SQL expression over scheduler_job `j` (one place for
 * the rule, used by lists, counts and single reads):
 * disabled or removed > an active invocation > paused > a tick armed > waiting.
 */
export const JOB_STATE_SQL = `CASE
  WHEN j.removed_at IS NOT NULL OR (j.definition->>'disabled')::boolean THEN 'DISABLED'
  WHEN EXISTS (SELECT 1 FROM scheduler_invocation i WHERE i.job_key = j.key AND i.state IN ('STARTING', 'RETRYING', 'RUNNING')) THEN 'RUNNING'
  WHEN j.paused_at IS NOT NULL THEN 'PAUSED'
  WHEN j.next_tick_at IS NOT NULL THEN 'SCHEDULED'
  ELSE 'WAITING' END`;

/** Periodic (has a schedule), triggered (only runs on triggers), or triggering (triggers others). */
export function jobFlavor(def: JobDefinition): "periodic" | "triggered" | "triggering" {
  if (def.triggers.length > 0) return "triggering";
  return def.schedule.kind === "triggered" ? "triggered" : "periodic";
}

export const ACTIVE_INVOCATION_STATES = ["STARTING", "RETRYING", "RUNNING"] as const;
