/**
 * What each tasks procedure requires: the scopes Taskcluster documents for
 * its method (taskcluster-client's Queue reference), and Hourglass's
 * visibility. A task is seen through `tasks:read:<project>/<taskQueueId>`
 * (project roles give it) or through holding what the call needs; one the
 * caller may not see answers exactly like one that does not exist. Where
 * Taskcluster accepts `…-in-project:<projectId>`, Hourglass also accepts
 * `tasks:manage:<project>/<taskQueueId>` (a project owner's).
 */
import type { ScopeExpression } from "../access/expressions.ts";
import { scope } from "../access/resources.ts";
import { HourglassError } from "../errors.ts";
import { creationPriorities, type Priority } from "../tasks/priorities.ts";
import { splitTaskQueueId } from "../tasks/ids.ts";
import type { Access, ResourceCheck } from "./access-check.ts";

type Ctx = Parameters<Extract<Access, { kind: "resource" }>["resolve"]>[0];
type TaskInfo = NonNullable<Awaited<ReturnType<Ctx["engine"]["tasks"]["accessInfo"]>>>;

const taskNotFound = (id: string) => () => new HourglassError("TASK_NOT_FOUND", `task ${id} does not exist`);
const groupNotFound = (id: string) => () => new HourglassError("TASK_GROUP_NOT_FOUND", `task group ${id} does not exist`);

/** A scope no name can be put in (an invalid project) is held only through `*`. */
function scoped(build: () => string): string {
  try {
    return build();
  } catch (err) {
    if (err instanceof RangeError) return "*";
    throw err;
  }
}

const readTask = (t: TaskInfo) => scoped(() => scope.tasks("read", t.projectId, t.taskQueueId));
const manageTask = (t: TaskInfo) => scoped(() => scope.tasks("manage", t.projectId, t.taskQueueId));

/** A task by taskId: `need(task)` beyond seeing it, which also makes it visible. */
export const onTask = <I extends { taskId: string }>(need: (t: TaskInfo, input: I) => ScopeExpression): Access<I> => ({
  kind: "resource",
  resolve: async (ctx, input): Promise<ResourceCheck> => {
    const t = await ctx.engine.tasks.accessInfo(input.taskId);
    if (t === null) return { read: null, notFound: taskNotFound(input.taskId) };
    const needed = need(t, input);
    return { read: { AnyOf: [readTask(t), needed] }, need: needed, notFound: taskNotFound(input.taskId) };
  },
});

/** A task group: seen through `tasks:read:<project>/*` of its project, or through what the call needs. */
export const onTaskGroup = <I extends { taskGroupId: string }>(
  need: (g: { taskGroupId: string; schedulerId: string; projectId: string }) => ScopeExpression,
): Access<I> => ({
  kind: "resource",
  resolve: async (ctx, input): Promise<ResourceCheck> => {
    const g = await ctx.engine.tasks.groupInfo(input.taskGroupId);
    if (g === null) return { read: null, notFound: groupNotFound(input.taskGroupId) };
    const needed = need({ taskGroupId: g.task_group_id, schedulerId: g.scheduler_id, projectId: g.project_id });
    const read = scoped(() => scope.tasks("read", g.project_id));
    return { read: { AnyOf: [read, needed] }, need: needed, notFound: groupNotFound(input.taskGroupId) };
  },
});

/** Taskcluster's get-task / status / list-dependent-tasks: `queue:<method>:<taskId>`. */
export const taskRead = (method: string) => (t: TaskInfo, i: { taskId: string }): ScopeExpression =>
  ({ AnyOf: [readTask(t), `queue:${method}:${i.taskId}`] });

/** schedule-task, rerun-task, cancel-task: Taskcluster's three alternatives, and a project owner's. */
export const taskAction = (method: "schedule-task" | "rerun-task" | "cancel-task") =>
  (t: TaskInfo, i: { taskId: string }): ScopeExpression => ({
    AnyOf: [
      `queue:${method}:${t.schedulerId}/${t.taskGroupId}/${i.taskId}`,
      `queue:${method}-in-project:${t.projectId}`,
      { AllOf: [`queue:${method}`, `assume:scheduler-id:${t.schedulerId}/${t.taskGroupId}`] },
      manageTask(t),
    ],
  });

/** reclaim-task and resolve-task: `queue:<method>:<taskId>/<runId>` (what claimWork's credentials will carry). */
export const runAction = (method: "reclaim-task" | "resolve-task") =>
  (_t: TaskInfo, i: { taskId: string; runId: number }): ScopeExpression => `queue:${method}:${i.taskId}/${i.runId}`;

/** claimTask: `queue:claim-task:<provisionerId>/<workerType>` and the worker's id. */
export const claimTaskNeed = (t: TaskInfo, i: { workerGroup: string; workerId: string }): ScopeExpression => {
  const { provisionerId, workerType } = splitTaskQueueId(t.taskQueueId);
  return { AllOf: [`queue:claim-task:${provisionerId}/${workerType}`, `queue:worker-id:${i.workerGroup}/${i.workerId}`] };
};

interface CreateInput {
  task: {
    scopes: string[]; routes: string[]; projectId: string; schedulerId: string; priority: Priority;
    taskQueueId?: string; provisionerId?: string; workerType?: string;
  };
}

/**
 * createTask / defineTask: every scope the task will hold (a task's scopes
 * cannot exceed its creator's), `queue:route:<route>` for each route, the
 * project and schedulerId scopes, and create-task at the task's priority or
 * any above it for its task queue. A task being created has nothing to hide.
 */
export const createTaskAccess: Access<CreateInput> = {
  kind: "scopes",
  need: ({ task }) => {
    const queue = task.taskQueueId ?? `${task.provisionerId}/${task.workerType}`;
    return {
      AllOf: [
        ...task.scopes,
        ...task.routes.map((r) => `queue:route:${r}`),
        `queue:create-task:project:${task.projectId}`,
        `queue:scheduler-id:${task.schedulerId}`,
        { AnyOf: creationPriorities(task.priority).map((p) => `queue:create-task:${p}:${queue}`) },
      ],
    };
  },
};

/** claimWork: `queue:claim-work:<taskQueueId>` and `queue:worker-id:<workerGroup>/<workerId>`. */
export const claimWorkAccess: Access<{ taskQueueId: string; workerGroup: string; workerId: string }> = {
  kind: "scopes",
  need: (i) => ({ AllOf: [`queue:claim-work:${i.taskQueueId}`, `queue:worker-id:${i.workerGroup}/${i.workerId}`] }),
};

/** Task queue counts: Taskcluster's pending-count (and claimed-count for both counts). */
export const countsAccess = (counts: ("pending" | "claimed")[]): Access<{ taskQueueId: string }> => ({
  kind: "scopes",
  need: (i) => ({ AllOf: counts.map((c) => `queue:${c}-count:${i.taskQueueId}`) }),
});

/** listTaskGroup / getTaskGroup: `queue:list-task-group:<taskGroupId>`. */
export const groupRead = (g: { taskGroupId: string; projectId: string }): ScopeExpression =>
  ({ AnyOf: [scoped(() => scope.tasks("read", g.projectId)), `queue:list-task-group:${g.taskGroupId}`] });

/** sealTaskGroup: `queue:seal-task-group:<taskGroupId>` or Taskcluster's in-project scope, or a project owner's. */
export const sealGroupNeed = (g: { taskGroupId: string; projectId: string }): ScopeExpression => ({
  AnyOf: [`queue:seal-task-group:${g.taskGroupId}`, `queue:seal-task-group-in-project:${g.projectId}`,
    scoped(() => scope.tasks("manage", g.projectId))],
});

/** cancelTaskGroup: `queue:cancel-task-group:<schedulerId>/<taskGroupId>` or cancel-task-in-project, or an owner's. */
export const cancelGroupNeed = (g: { taskGroupId: string; schedulerId: string; projectId: string }): ScopeExpression => ({
  AnyOf: [`queue:cancel-task-group:${g.schedulerId}/${g.taskGroupId}`, `queue:cancel-task-in-project:${g.projectId}`,
    scoped(() => scope.tasks("manage", g.projectId))],
});

/** Task queue and worker views: `queue:list-task-queues`, `queue:get-task-queue:<taskQueueId>`, … */
export const fixedScope = <I>(need: (i: I) => string): Access<I> => ({ kind: "scopes", need });
type WorkerRef = { provisionerId: string; workerType: string; workerGroup: string; workerId: string };
export const workerScope = (method: "get-worker" | "quarantine-worker") =>
  (i: WorkerRef) => `queue:${method}:${i.provisionerId}/${i.workerType}/${i.workerGroup}/${i.workerId}`;
