import * as s from "../tasks/schemas.ts";
import { procedure, router } from "./trpc.ts";
import {
  cancelGroupNeed, claimTaskNeed, claimWorkAccess, countsAccess, createTaskAccess, fixedScope, groupRead, onTask,
  onTaskGroup, runAction, sealGroupNeed, taskAction, taskRead, workerScope,
} from "./task-access.ts";

/**
 * The `tasks` router: Taskcluster's Queue, method for method, with its input
 * and output shapes (the REST layer with Hawk to come is a thin mapping of
 * routes onto these). Thin by rule: declare access, validate, call the engine.
 */
export const tasksRouter = router({
  createTask: procedure(createTaskAccess, s.createTaskInput)
    .mutation(({ ctx, input }) => ctx.engine.tasks.createTask(ctx.caller, input)),
  defineTask: procedure(createTaskAccess, s.createTaskInput)
    .mutation(({ ctx, input }) => ctx.engine.tasks.createTask(ctx.caller, input, false)),
  task: procedure(onTask(taskRead("get-task")), s.taskIdInput)
    .query(({ ctx, input }) => ctx.engine.tasks.task(input.taskId)),
  status: procedure(onTask(taskRead("status")), s.taskIdInput)
    .query(({ ctx, input }) => ctx.engine.tasks.getStatus(input.taskId)),
  scheduleTask: procedure(onTask(taskAction("schedule-task")), s.taskIdInput)
    .mutation(({ ctx, input }) => ctx.engine.tasks.scheduleTask(ctx.caller, input.taskId)),
  rerunTask: procedure(onTask(taskAction("rerun-task")), s.taskIdInput)
    .mutation(({ ctx, input }) => ctx.engine.tasks.rerunTask(ctx.caller, input.taskId)),
  cancelTask: procedure(onTask(taskAction("cancel-task")), s.taskIdInput)
    .mutation(({ ctx, input }) => ctx.engine.tasks.cancelTask(ctx.caller, input.taskId)),
  claimWork: procedure(claimWorkAccess, s.claimWorkInput)
    .mutation(({ ctx, input, signal }) => ctx.engine.tasks.claimWork(ctx.caller, input, signal)),
  claimTask: procedure(onTask<{ taskId: string; workerGroup: string; workerId: string }>(claimTaskNeed), s.claimTaskInput)
    .mutation(({ ctx, input }) => ctx.engine.tasks.claimTask(ctx.caller, input)),
  reclaimTask: procedure(onTask(runAction("reclaim-task")), s.runInput)
    .mutation(({ ctx, input }) => ctx.engine.tasks.reclaimTask(input)),
  reportCompleted: procedure(onTask(runAction("resolve-task")), s.runInput)
    .mutation(({ ctx, input }) => ctx.engine.tasks.report(ctx.caller, input, { kind: "completed" })),
  reportFailed: procedure(onTask(runAction("resolve-task")), s.runInput)
    .mutation(({ ctx, input }) => ctx.engine.tasks.report(ctx.caller, input, { kind: "failed" })),
  reportException: procedure(onTask(runAction("resolve-task")), s.reportExceptionInput)
    .mutation(({ ctx, input }) => ctx.engine.tasks.report(ctx.caller, input, { kind: "exception", reason: input.reason })),
  listTaskGroup: procedure(onTaskGroup(groupRead), s.listTaskGroupInput)
    .query(({ ctx, input }) => ctx.engine.tasks.listTaskGroup(input)),
  getTaskGroup: procedure(onTaskGroup(groupRead), s.taskGroupIdInput)
    .query(({ ctx, input }) => ctx.engine.tasks.getTaskGroup(input.taskGroupId)),
  sealTaskGroup: procedure(onTaskGroup(sealGroupNeed), s.taskGroupIdInput)
    .mutation(({ ctx, input }) => ctx.engine.tasks.sealTaskGroup(ctx.caller, input.taskGroupId)),
  cancelTaskGroup: procedure(onTaskGroup(cancelGroupNeed), s.taskGroupIdInput)
    .mutation(({ ctx, input }) => ctx.engine.tasks.cancelTaskGroup(ctx.caller, input.taskGroupId)),
  listDependentTasks: procedure(onTask(taskRead("list-dependent-tasks")), s.listDependentTasksInput)
    .query(({ ctx, input }) => ctx.engine.tasks.listDependentTasks(input)),
  pendingTasks: procedure(countsAccess(["pending"]), s.taskQueueIdInput)
    .query(({ ctx, input }) => ctx.engine.tasks.pendingTasks(input.taskQueueId)),
  taskQueueCounts: procedure(countsAccess(["pending", "claimed"]), s.taskQueueIdInput)
    .query(({ ctx, input }) => ctx.engine.tasks.taskQueueCounts(input.taskQueueId)),
  listTaskQueues: procedure(fixedScope(() => "queue:list-task-queues"), s.listTaskQueuesInput)
    .query(({ ctx, input }) => ctx.engine.tasks.workers.listTaskQueues(input)),
  getTaskQueue: procedure(fixedScope((i: { taskQueueId: string }) => `queue:get-task-queue:${i.taskQueueId}`),
    s.taskQueueIdInput)
    .query(({ ctx, input }) => ctx.engine.tasks.workers.getTaskQueue(input.taskQueueId)),
  listWorkers: procedure(fixedScope((i: { provisionerId: string; workerType: string }) =>
    `queue:list-workers:${i.provisionerId}/${i.workerType}`), s.listWorkersInput)
    .query(({ ctx, input }) => ctx.engine.tasks.workers.listWorkers(input)),
  getWorker: procedure(fixedScope(workerScope("get-worker")), s.workerRefInput)
    .query(({ ctx, input }) => ctx.engine.tasks.workers.getWorker(input)),
  listPendingTasks: procedure(fixedScope((i: { taskQueueId: string }) => `queue:pending-list:${i.taskQueueId}`),
    s.listRunsInput)
    .query(({ ctx, input }) => ctx.engine.tasks.workers.listRuns("pending", input)),
  listClaimedTasks: procedure(fixedScope((i: { taskQueueId: string }) => `queue:claimed-list:${i.taskQueueId}`),
    s.listRunsInput)
    .query(({ ctx, input }) => ctx.engine.tasks.workers.listRuns("running", input)),
  quarantineWorker: procedure(fixedScope(workerScope("quarantine-worker")), s.quarantineWorkerInput)
    .mutation(({ ctx, input }) => ctx.engine.tasks.workers.quarantineWorker(ctx.caller, input)),
});
