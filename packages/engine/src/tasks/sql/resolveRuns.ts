import type { Sql } from "@hourglass/db";
import { EVENT_COLUMNS, eventPayload, notifyQueues, runEntity } from "./common.ts";

/**
 * Resolves a batch of runs, each from the state the caller expects (running
 * for reports and lapsed claims; pending or running for cancel and deadline):
 * guarded, so a run no longer in that state is left alone and missing from
 * the result. Its task then either retries — a new pending run, when the
 * resolution asks for one (`retry_reason`, machine.ts retryReasonFor) and the
 * task has retries left, as machine.ts resolveRun decides — or resolves with
 * the run. Events: the run's `resolved`, the retry run's `pending`, the
 * task's `resolved` when it resolved. Callers run resolveDependents.ts next
 * for the tasks that resolved.
 */
const SQL = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[])
    AS i(task_id, run_id, from_state, to_state, reason, retry_reason)
), resolved AS (
  UPDATE task_run r SET state = i.to_state::"TaskRunState", reason_resolved = i.reason, resolved = $7
    FROM input i
   WHERE r.task_id = ANY($1::text[]) AND r.task_id = i.task_id AND r.run_id = i.run_id
     AND r.state = i.from_state::"TaskRunState"
  RETURNING r.task_id, r.run_id, r.state::text AS run_state, r.reason_resolved, r.priority, r.worker_group, r.worker_id,
            i.from_state, i.retry_reason
), tasks AS (
  UPDATE task t SET
    state = (CASE WHEN x.retry_reason IS NOT NULL AND t.retries_left > 0 THEN 'pending' ELSE x.run_state END)::"TaskState",
    retries_left = t.retries_left - (CASE WHEN x.retry_reason IS NOT NULL AND t.retries_left > 0 THEN 1 ELSE 0 END),
    run_count = t.run_count + (CASE WHEN x.retry_reason IS NOT NULL AND t.retries_left > 0 THEN 1 ELSE 0 END),
    updated_at = $7
    FROM resolved x
   WHERE t.task_id = x.task_id
  RETURNING t.task_id, t.state::text AS state, t.run_count, t.task_queue_id, t.task_group_id, t.project_id,
            x.run_id, x.run_state, x.reason_resolved, x.priority, x.from_state, x.retry_reason, x.worker_group, x.worker_id
), retries AS (
  INSERT INTO task_run (task_id, run_id, task_queue_id, priority, state, reason_created, scheduled)
  SELECT task_id, run_count - 1, task_queue_id, priority, 'pending', retry_reason, $7 FROM tasks WHERE state = 'pending'
  RETURNING task_id, task_queue_id
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $7, project_id, 'task_run', ${runEntity("task_id", "run_id")}, 'resolved', from_state, run_state, reason_resolved,
         $8, ${eventPayload("tasks", ", 'workerGroup', worker_group, 'workerId', worker_id")}
    FROM tasks
  UNION ALL
  SELECT $7, project_id, 'task_run', ${runEntity("task_id", "run_count - 1")}, 'pending', NULL, 'pending', retry_reason,
         $8, ${eventPayload("tasks")}
    FROM tasks WHERE state = 'pending'
  UNION ALL
  SELECT $7, project_id, 'task', task_id, 'resolved', from_state, state, reason_resolved, $8, ${eventPayload("tasks")}
    FROM tasks WHERE state <> 'pending'
)
SELECT task_id, run_id, state, run_state, reason_resolved, ${notifyQueues("retries")} AS notified FROM tasks`;

export interface RunResolution {
  taskId: string;
  runId: number;
  from: "pending" | "running";
  to: "completed" | "failed" | "exception";
  reason: string;
  /** The reasonCreated of a retry run if retries are left (machine.ts retryReasonFor), or null. */
  retry: "retry" | "task-retry" | null;
}

/** Per run resolved: its task's new state (pending when it retried, else the run's). */
export interface ResolvedRun {
  task_id: string;
  run_id: number;
  state: string;
  run_state: string;
  reason_resolved: string;
}

export async function resolveRuns(sql: Sql, runs: RunResolution[], now: Date, actor: string): Promise<ResolvedRun[]> {
  if (runs.length === 0) return [];
  const r = await sql.query<ResolvedRun>(SQL, [
    runs.map((x) => x.taskId), runs.map((x) => x.runId), runs.map((x) => x.from), runs.map((x) => x.to),
    runs.map((x) => x.reason), runs.map((x) => x.retry), now, actor,
  ]);
  return r.rows;
}
