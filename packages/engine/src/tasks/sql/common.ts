import { EVENT_COLUMNS } from "../../events/sql/columns.ts";
import { PRIORITIES } from "../priorities.ts";

export { EVENT_COLUMNS };

/** The channel task statements notify on when runs become pending; the payload is the task queue id. */
export const TASKS_CHANNEL = "hourglass_tasks";

/** A task's priority name (an SQL text) as its runs' rank: 0 = highest … 6 = lowest (and normal). */
export const rankSql = (col: string) =>
  `coalesce(array_position(ARRAY[${PRIORITIES.slice(0, 7).map((p) => `'${p}'`).join(", ")}]::text[], ${col}) - 1, 6)`;

/** The payload every task, run and group event carries: what visibility and the exchanges to come need. */
export const eventPayload = (t: string, extra = "") =>
  `jsonb_build_object('taskQueueId', ${t}.task_queue_id, 'taskGroupId', ${t}.task_group_id${extra})`;

/** `<taskId>/<runId>`: a run's entity id in the event log. */
export const runEntity = (task: string, run: string) => `${task} || '/' || (${run})::text`;

/** Counts one NOTIFY per distinct task queue of `rows` (a CTE with task_queue_id) that has pending runs. */
export const notifyQueues = (rows: string) =>
  `(SELECT count(pg_notify('${TASKS_CHANNEL}', q.task_queue_id)) FROM (SELECT DISTINCT task_queue_id FROM ${rows}) q)::int`;

/** The columns of a task row the host reads (definition and status), for RETURNING and SELECT lists. */
export const TASK_ROW = `task_id, task_queue_id, scheduler_id, project_id, task_group_id, dependencies, requires, routes,
  priority, retries, retries_left, created, deadline, expires, scopes, payload, metadata, tags, extra, state, run_count`;

export const prefixed = (alias: string) => TASK_ROW.split(",").map((c) => `${alias}.${c.trim()}`).join(", ");

/** A task row as the host reads it. */
export interface TaskRow {
  task_id: string;
  task_queue_id: string;
  scheduler_id: string;
  project_id: string;
  task_group_id: string;
  dependencies: string[];
  requires: string;
  routes: string[];
  priority: string;
  retries: number;
  retries_left: number;
  created: Date;
  deadline: Date;
  expires: Date;
  scopes: string[];
  payload: Record<string, unknown>;
  metadata: { name: string; description: string; owner: string; source: string };
  tags: Record<string, string>;
  extra: Record<string, unknown>;
  state: string;
  run_count: number;
}

/** A run as readTasks aggregates it (JSON, times as ISO strings). */
export interface RunRow {
  runId: number;
  state: string;
  reasonCreated: string;
  reasonResolved: string | null;
  workerGroup: string | null;
  workerId: string | null;
  takenUntil: string | null;
  scheduled: string;
  started: string | null;
  resolved: string | null;
}
