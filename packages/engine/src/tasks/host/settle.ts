import type { Sql } from "@hourglass/db";
import { cancelEffect } from "../machine.ts";
import type { TaskState } from "../states.ts";
import { resolveDependents } from "../sql/resolveDependents.ts";
import { resolveRuns, type RunResolution } from "../sql/resolveRuns.ts";
import { resolveUnscheduled } from "../sql/resolveUnscheduled.ts";

/** A task to resolve whatever it is doing (cancel, deadline): its state and run count as read under lock. */
export interface Settle {
  taskId: string;
  state: string;
  runCount: number;
}

/**
 * Resolutions and what follows them, in the caller's transaction: `tasks`
 * resolve exception / `reason` with no retry (an unscheduled one gets a run
 * made for it, machine.ts cancelEffect), `runs` as given; then the
 * dependents of every task that resolved (no retry) and their groups. Returns
 * how many runs resolved; a guard that matched nothing counts nothing.
 */
export async function resolveAndFollow(
  sql: Sql, tasks: Settle[], reason: "canceled" | "deadline-exceeded" | null, now: Date, actor: string,
  runs: RunResolution[] = [],
): Promise<number> {
  const unscheduled: string[] = [];
  const all = [...runs];
  for (const t of tasks) {
    const effect = cancelEffect(t.state as TaskState);
    if (effect === "resolve-unscheduled") unscheduled.push(t.taskId);
    if (effect === "resolve-run") {
      all.push({
        taskId: t.taskId, runId: t.runCount - 1, from: t.state as "pending" | "running", to: "exception",
        reason: reason!, retry: null,
      });
    }
  }
  const resolved = await resolveRuns(sql, all, now, actor);
  const made = reason === null ? [] : await resolveUnscheduled(sql, unscheduled, reason, now, actor);
  const final = [
    ...resolved.filter((r) => r.state !== "pending").map((r) => ({ taskId: r.task_id, state: r.state })),
    ...made.map((taskId) => ({ taskId, state: "exception" })),
  ];
  await resolveDependents(sql, final, now, actor);
  return resolved.length + made.length;
}
