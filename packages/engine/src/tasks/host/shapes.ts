/**
 * Rows as Taskcluster answers them (task.json, task-status-response), so the
 * tRPC router and the REST layer to come return the same JSON. Absent
 * optional fields are left out, as Taskcluster leaves them out.
 */
import type { TaskDefinition } from "../definition.ts";
import { splitTaskQueueId } from "../ids.ts";
import type { Priority } from "../priorities.ts";
import type { Requires, RunState, TaskState } from "../states.ts";
import type { RunRow, TaskRow } from "../sql/common.ts";
import type { TaskWithRuns } from "../sql/readTasks.ts";

export interface RunStatus {
  runId: number;
  state: RunState;
  reasonCreated: string;
  reasonResolved?: string;
  workerGroup?: string;
  workerId?: string;
  takenUntil?: string;
  scheduled: string;
  started?: string;
  resolved?: string;
}

export interface TaskStatus {
  taskId: string;
  provisionerId: string;
  workerType: string;
  taskQueueId: string;
  schedulerId: string;
  projectId: string;
  taskGroupId: string;
  deadline: string;
  expires: string;
  retriesLeft: number;
  state: TaskState;
  runs: RunStatus[];
}

const iso = (v: string | Date | null) => (v === null ? undefined : new Date(v).toISOString());

function runStatus(r: RunRow): RunStatus {
  const out: RunStatus = {
    runId: r.runId, state: r.state as RunState, reasonCreated: r.reasonCreated, scheduled: iso(r.scheduled)!,
  };
  if (r.reasonResolved !== null) out.reasonResolved = r.reasonResolved;
  if (r.workerGroup !== null) out.workerGroup = r.workerGroup;
  if (r.workerId !== null) out.workerId = r.workerId;
  if (r.takenUntil !== null) out.takenUntil = iso(r.takenUntil);
  if (r.started !== null) out.started = iso(r.started);
  if (r.resolved !== null) out.resolved = iso(r.resolved);
  return out;
}

export function taskStatus(t: TaskWithRuns): TaskStatus {
  return {
    taskId: t.task_id,
    ...splitTaskQueueId(t.task_queue_id),
    taskQueueId: t.task_queue_id,
    schedulerId: t.scheduler_id,
    projectId: t.project_id,
    taskGroupId: t.task_group_id,
    deadline: iso(t.deadline)!,
    expires: iso(t.expires)!,
    retriesLeft: t.retries_left,
    state: t.state as TaskState,
    runs: t.runs.map(runStatus),
  };
}

export function taskDefinition(t: TaskRow): TaskDefinition {
  return {
    ...splitTaskQueueId(t.task_queue_id),
    taskQueueId: t.task_queue_id,
    schedulerId: t.scheduler_id,
    projectId: t.project_id,
    taskGroupId: t.task_group_id,
    dependencies: t.dependencies,
    requires: t.requires as Requires,
    routes: t.routes,
    priority: t.priority as Priority,
    retries: t.retries,
    created: iso(t.created)!,
    deadline: iso(t.deadline)!,
    expires: iso(t.expires)!,
    scopes: t.scopes,
    payload: t.payload,
    metadata: t.metadata,
    tags: t.tags,
    extra: t.extra,
  };
}
