import type { Sql } from "@hourglass/db";
import type { Caller } from "../../context.ts";
import type { EngineContext } from "../../context.ts";
import { HourglassError } from "../../errors.ts";
import { withTransaction } from "../../transaction.ts";
import { DEFAULT_LIMITS, normalizeDefinition, sameDefinition, type DefinitionLimits } from "../definition.ts";
import { splitTaskQueueId } from "../ids.ts";
import { alreadyReported, rerunEffect, resolveRun, type Resolution } from "../machine.ts";
import type { RunState } from "../states.ts";
import type { TaskDefinitionInput } from "../schemas.ts";
import { claimRun } from "../sql/claimRun.ts";
import { claimRuns, type ClaimedRun } from "../sql/claimRuns.ts";
import { countRuns } from "../sql/countRuns.ts";
import { groupSize } from "../sql/groupSize.ts";
import { insertTask } from "../sql/insertTask.ts";
import { listTaskIds } from "../sql/listTaskIds.ts";
import { lockDependencies } from "../sql/lockDependencies.ts";
import { lockTaskGroup } from "../sql/lockTaskGroup.ts";
import { readTasks, type TaskWithRuns } from "../sql/readTasks.ts";
import { reclaimRun } from "../sql/reclaimRun.ts";
import { recordRecentTasks } from "../sql/recordRecentTasks.ts";
import { MAX_RUNS, rerunTask } from "../sql/rerunTask.ts";
import { scheduleTasks } from "../sql/scheduleTasks.ts";
import { readTaskGroup, type TaskGroupRow } from "../sql/readTaskGroup.ts";
import { sealTaskGroup } from "../sql/sealTaskGroup.ts";
import { unresolvedInGroup } from "../sql/unresolvedInGroup.ts";
import { workerSeen } from "../sql/workerSeen.ts";
import { resolveAndFollow, type Settle } from "./settle.ts";
import { taskDefinition, taskStatus, type TaskStatus } from "./shapes.ts";
import { TaskWakeups } from "./wakeups.ts";
import { TaskWorkers } from "./workers.ts";

export interface TaskOptions extends DefinitionLimits {
  /** A claim's lease (Taskcluster's claimTimeout: 20 minutes). */
  claimTimeoutMs: number;
  /** How long claimWork waits for work when none is pending (Taskcluster: about 20 s). */
  claimWaitMs: number;
  /** How far ahead a seen task queue or worker expires. */
  workerExpiresMs: number;
  /** claimWork wake-ups: LISTEN/NOTIFY, or polling on the embedded database. */
  wakeups: "listen" | "poll";
}

export const DEFAULT_TASK_OPTIONS: TaskOptions = {
  ...DEFAULT_LIMITS, claimTimeoutMs: 20 * 60_000, claimWaitMs: 20_000, workerExpiresMs: 5 * 24 * 3600_000, wakeups: "listen",
};

const notFound = (taskId: string) => new HourglassError("TASK_NOT_FOUND", `task ${taskId} does not exist`);
const runNotFound = (taskId: string, runId: number) =>
  new HourglassError("TASK_NOT_FOUND", `run ${runId} of task ${taskId} does not exist`);
const groupNotFound = (id: string) => new HourglassError("TASK_GROUP_NOT_FOUND", `task group ${id} does not exist`);
const conflict = (message: string) => new HourglassError("CONFLICT", message);

/** One claimed run as claimWork and claimTask answer it (credentials come with the Hawk layer). */
export interface ClaimedTask {
  status: TaskStatus;
  runId: number;
  workerGroup: string;
  workerId: string;
  takenUntil: string;
  task: ReturnType<typeof taskDefinition>;
}

/**
 * Taskcluster's queue over the task tables: every write is a statement of
 * tasks/sql/ (guarded, with its events), every decision the pure machine's
 * (machine.ts). Callers' access is checked by the API (api/tasks.ts), not here.
 */
export class Tasks {
  readonly options: TaskOptions;
  /** Task queues and workers: listings, quarantine. */
  readonly workers: TaskWorkers;
  private readonly wakeups: TaskWakeups;

  constructor(private readonly ctx: EngineContext, options: Partial<TaskOptions> = {}) {
    this.options = { ...DEFAULT_TASK_OPTIONS, ...options };
    this.wakeups = new TaskWakeups(ctx, this.options.wakeups);
    this.workers = new TaskWorkers(ctx);
  }

  private get sql(): Sql {
    return this.ctx.db.sql;
  }

  private now(): Date {
    return this.ctx.clock.now();
  }

  private async load(taskId: string): Promise<TaskWithRuns> {
    const [t] = await readTasks(this.sql, [taskId]);
    if (!t) throw notFound(taskId);
    return t;
  }

  private async status(taskId: string): Promise<{ status: TaskStatus }> {
    return { status: taskStatus(await this.load(taskId)) };
  }

  /** What access checks need of a task, or null when it does not exist. */
  async accessInfo(taskId: string) {
    const [t] = await readTasks(this.sql, [taskId]);
    if (!t) return null;
    return {
      projectId: t.project_id, taskQueueId: t.task_queue_id, schedulerId: t.scheduler_id, taskGroupId: t.task_group_id,
      runs: t.runs.map((r) => ({ workerGroup: r.workerGroup, workerId: r.workerId })),
    };
  }

  /** What access checks need of a task group, or null when it does not exist. */
  async groupInfo(taskGroupId: string): Promise<TaskGroupRow | null> {
    return readTaskGroup(this.sql, taskGroupId);
  }

  // ---- tasks

  /**
   * createTask (and defineTask with `schedule` false): idempotent by taskId —
   * the same definition again answers the task's status, another one is a
   * conflict. The group's schedulerId and project are its first task's; a
   * sealed group takes no new task.
   */
  async createTask(caller: Caller, input: { taskId: string; task: TaskDefinitionInput }, schedule = true) {
    const now = this.now();
    const def = normalizeDefinition(input.taskId, input.task, now, this.options);
    const outcome = await withTransaction(this.ctx.db.pool, async (sql) => {
      await lockDependencies(sql, def.dependencies);
      const group = await lockTaskGroup(sql, def.taskGroupId, def.schedulerId, def.projectId, def.expires, now);
      if (group.scheduler_id !== def.schedulerId) {
        throw conflict(`task group ${def.taskGroupId} has schedulerId ${group.scheduler_id}; `
          + "every task of a group has its group's");
      }
      if (group.project_id !== def.projectId) {
        throw conflict(`task group ${def.taskGroupId} is in project ${group.project_id}; `
          + "every task of a group is in its group's");
      }
      const r = await insertTask(sql, input.taskId, def, now, caller.id, schedule);
      if (r.missing.length > 0) {
        throw new HourglassError("INVALID_ARGUMENT", `task.dependencies: no such task: ${r.missing.join(", ")}`,
          [{ path: "task.dependencies", message: `no such task: ${r.missing.join(", ")}` }]);
      }
      if (r.inserted && group.sealed !== null) {
        throw conflict(`task group ${def.taskGroupId} is sealed and takes no new tasks`);
      }
      return r.inserted;
    }, { retryDeadlocks: true });
    const t = await this.load(input.taskId);
    if (!outcome && !sameDefinition(taskDefinition(t), def)) {
      throw conflict(`taskId ${input.taskId} is already used by another task definition`);
    }
    return { status: taskStatus(t) };
  }

  async task(taskId: string) {
    return taskDefinition(await this.load(taskId));
  }

  async getStatus(taskId: string) {
    return this.status(taskId);
  }

  /** scheduleTask: an unscheduled task gets its first run whatever its dependencies; idempotent otherwise. */
  async scheduleTask(caller: Caller, taskId: string) {
    const now = this.now();
    const t = await this.load(taskId);
    if (t.state === "unscheduled" && t.deadline.getTime() <= now.getTime()) {
      throw conflict(`task ${taskId} cannot be scheduled past its deadline ${t.deadline.toISOString()}`);
    }
    await scheduleTasks(this.sql, [taskId], now, caller.id);
    return this.status(taskId);
  }

  /** rerunTask: a resolved task runs again (machine.ts rerunEffect); pending and running ones are left as they are. */
  async rerunTask(caller: Caller, taskId: string) {
    const now = this.now();
    const t = await this.load(taskId);
    if (t.deadline.getTime() <= now.getTime()) {
      throw conflict(`task ${taskId} cannot be rerun past its deadline ${t.deadline.toISOString()}`);
    }
    const effect = rerunEffect(t.state as TaskStatus["state"]);
    if (effect === "schedule") await scheduleTasks(this.sql, [taskId], now, caller.id);
    if (effect === "new-run") {
      if (t.run_count >= MAX_RUNS) throw conflict(`task ${taskId} has reached the maximum of ${MAX_RUNS} runs`);
      const done = await withTransaction(this.ctx.db.pool, (sql) => rerunTask(sql, taskId, now, caller.id));
      if (!done) throw conflict(`task ${taskId} changed while it was being rerun; try again`);
    }
    return this.status(taskId);
  }

  /** cancelTask: the current run (or a run made for it) resolves exception / canceled, with no retry. */
  async cancelTask(caller: Caller, taskId: string) {
    const now = this.now();
    const t = await this.load(taskId);
    if (t.deadline.getTime() <= now.getTime()) {
      throw conflict(`task ${taskId} cannot be canceled past its deadline ${t.deadline.toISOString()}`);
    }
    await this.settle(caller.id, now, [{ taskId, state: t.state, runCount: t.run_count }], "canceled");
    return this.status(taskId);
  }

  private settle(actor: string, now: Date, tasks: Settle[], reason: "canceled" | "deadline-exceeded") {
    const settle = (sql: Sql) => resolveAndFollow(sql, tasks, reason, now, actor);
    return withTransaction(this.ctx.db.pool, settle, { retryDeadlocks: true });
  }

  // ---- workers

  /**
   * claimWork: up to `tasks` pending runs of the task queue, at once if any
   * is pending; otherwise it waits (up to claimWaitMs, woken by NOTIFY) and
   * answers what it then finds, possibly nothing. A quarantined worker gets
   * nothing (after the same wait, so it does not spin).
   */
  async claimWork(
    caller: Caller,
    input: { taskQueueId: string; workerGroup: string; workerId: string; tasks: number },
    signal?: AbortSignal,
  ): Promise<{ tasks: ClaimedTask[] }> {
    const { taskQueueId, workerGroup, workerId } = input;
    const until = Date.now() + this.options.claimWaitMs;
    const quarantine = await workerSeen(this.sql, taskQueueId, workerGroup, workerId, this.now(),
      this.options.workerExpiresMs);
    if (quarantine !== null && quarantine.getTime() > this.now().getTime()) {
      await this.wakeups.wait(`quarantined:${taskQueueId}`, this.options.claimWaitMs, signal);
      return { tasks: [] };
    }
    for (let attempt = 0; ; attempt++) {
      const claimed = await claimRuns(this.sql, taskQueueId, this.now(), input.tasks, workerGroup, workerId,
        this.options.claimTimeoutMs, caller.id);
      if (claimed.length > 0) {
        await recordRecentTasks(this.sql, taskQueueId, workerGroup, workerId,
          claimed.map((c) => ({ taskId: c.task_id, runId: c.run_id })));
        return { tasks: await this.claimedTasks(claimed) };
      }
      const left = until - Date.now();
      if (left <= 0 || signal?.aborted) return { tasks: [] };
      // the first pass puts the LISTEN in place and looks again, so nothing made pending meanwhile is missed
      if (attempt === 0) await this.wakeups.ready();
      else await this.wakeups.wait(taskQueueId, left, signal);
    }
  }

  private async claimedTasks(claimed: ClaimedRun[]): Promise<ClaimedTask[]> {
    const rows = await readTasks(this.sql, claimed.map((c) => c.task_id));
    const byId = new Map(rows.map((r) => [r.task_id, r]));
    return claimed.map((c) => {
      const run = byId.get(c.task_id)!.runs[c.run_id]!;
      return {
        status: taskStatus(byId.get(c.task_id)!), runId: c.run_id, workerGroup: run.workerGroup!, workerId: run.workerId!,
        takenUntil: c.taken_until.toISOString(), task: taskDefinition(c),
      };
    });
  }

  /** claimTask (deprecated in Taskcluster): claims one named pending run. */
  async claimTask(caller: Caller, input: { taskId: string; runId: number; workerGroup: string; workerId: string }) {
    const now = this.now();
    const t = await this.load(input.taskId);
    const run = t.runs[input.runId];
    if (!run) throw runNotFound(input.taskId, input.runId);
    if (t.deadline.getTime() <= now.getTime()) {
      throw conflict(`task ${input.taskId} cannot be claimed past its deadline ${t.deadline.toISOString()}`);
    }
    await workerSeen(this.sql, t.task_queue_id, input.workerGroup, input.workerId, now, this.options.workerExpiresMs);
    const c = await claimRun(this.sql, input.taskId, input.runId, now, input.workerGroup, input.workerId,
      this.options.claimTimeoutMs, caller.id);
    if (!c) throw conflict(`run ${input.runId} of task ${input.taskId} was already claimed or resolved`);
    return (await this.claimedTasks([c]))[0]!;
  }

  /** reclaimTask: extends takenUntil of a run that is still running (and the task's latest), else a conflict. */
  async reclaimTask(input: { taskId: string; runId: number }) {
    const now = this.now();
    const t = await this.load(input.taskId);
    if (!t.runs[input.runId]) throw runNotFound(input.taskId, input.runId);
    if (t.deadline.getTime() <= now.getTime()) {
      throw conflict(`task ${input.taskId} cannot be reclaimed past its deadline ${t.deadline.toISOString()}`);
    }
    const r = await reclaimRun(this.sql, input.taskId, input.runId, now, this.options.claimTimeoutMs);
    if (!r) throw conflict(`run ${input.runId} of task ${input.taskId} is resolved or not running`);
    const { status } = await this.status(input.taskId);
    return {
      status, runId: input.runId, workerGroup: r.worker_group, workerId: r.worker_id,
      takenUntil: r.taken_until.toISOString(),
    };
  }

  /**
   * reportCompleted / reportFailed / reportException: resolves a running run
   * (machine.ts resolveRun: an exception retries while retries are left and
   * its reason asks for it). Reporting a run already resolved the same way
   * answers the status again; any other resolved or pending run is a conflict.
   */
  async report(caller: Caller, input: { taskId: string; runId: number }, resolution: Resolution) {
    const now = this.now();
    const t = await this.load(input.taskId);
    const run = t.runs[input.runId];
    if (!run) throw runNotFound(input.taskId, input.runId);
    const view = { state: run.state as RunState, takenUntil: null, reasonResolved: run.reasonResolved };
    if (alreadyReported(view, resolution)) return { status: taskStatus(t) };
    const decided = resolveRun(resolution, t.retries_left);
    const resolved = await withTransaction(this.ctx.db.pool, (sql) => resolveAndFollow(sql, [], null, now, caller.id, [{
      taskId: input.taskId, runId: input.runId, from: "running", to: decided.state,
      reason: decided.reasonResolved, retry: decided.retry,
    }]), { retryDeadlocks: true });
    if (resolved === 0) throw conflict(`run ${input.runId} of task ${input.taskId} is resolved or not running`);
    return this.status(input.taskId);
  }

  // ---- task groups

  async listTaskGroup(input: { taskGroupId: string; continuationToken?: string; limit: number }) {
    if (!(await readTaskGroup(this.sql, input.taskGroupId))) throw groupNotFound(input.taskGroupId);
    return { taskGroupId: input.taskGroupId, ...(await this.page("group", input.taskGroupId, input)) };
  }

  async listDependentTasks(input: { taskId: string; continuationToken?: string; limit: number }) {
    await this.load(input.taskId);
    return { taskId: input.taskId, ...(await this.page("dependents", input.taskId, input)) };
  }

  private async page(of: "group" | "dependents", id: string, input: { continuationToken?: string; limit: number }) {
    const ids = await listTaskIds(this.sql, of, id, input.continuationToken ?? "", input.limit + 1);
    const more = ids.length > input.limit;
    const rows = await readTasks(this.sql, ids.slice(0, input.limit));
    return {
      tasks: rows.map((r) => ({ status: taskStatus(r), task: taskDefinition(r) })),
      ...(more && { continuationToken: ids[input.limit - 1]! }),
    };
  }

  async getTaskGroup(taskGroupId: string) {
    const g = await readTaskGroup(this.sql, taskGroupId);
    if (!g) throw groupNotFound(taskGroupId);
    return groupShape(g);
  }

  async sealTaskGroup(caller: Caller, taskGroupId: string) {
    if (!(await readTaskGroup(this.sql, taskGroupId))) throw groupNotFound(taskGroupId);
    await sealTaskGroup(this.sql, taskGroupId, this.now(), caller.id);
    return this.getTaskGroup(taskGroupId);
  }

  /**
   * cancelTaskGroup: every unresolved task of the group is canceled, 500 at a
   * time, each batch its own transaction; a task that moved while its batch
   * was being canceled (claimed, say) is canceled again from its new state.
   */
  async cancelTaskGroup(caller: Caller, taskGroupId: string) {
    const g = await readTaskGroup(this.sql, taskGroupId);
    if (!g) throw groupNotFound(taskGroupId);
    const canceled: string[] = [];
    const live = (state: string) => state === "unscheduled" || state === "pending" || state === "running";
    for (let after = ""; ;) {
      const rows = await unresolvedInGroup(this.sql, taskGroupId, after, 500);
      let batch = rows.map((r) => ({ taskId: r.task_id, state: r.state, runCount: r.run_count }));
      for (let attempt = 0; attempt < 5 && batch.length > 0; attempt++) {
        const now = this.now();
        const settle = (sql: Sql) => resolveAndFollow(sql, batch, "canceled", now, caller.id);
        await withTransaction(this.ctx.db.pool, settle, { retryDeadlocks: true });
        const still = (await readTasks(this.sql, batch.map((b) => b.taskId))).filter((t) => live(t.state));
        const left = new Set(still.map((t) => t.task_id));
        canceled.push(...batch.filter((b) => !left.has(b.taskId)).map((b) => b.taskId));
        batch = still.map((t) => ({ taskId: t.task_id, state: t.state, runCount: t.run_count }));
      }
      if (rows.length < 500) break;
      after = rows[rows.length - 1]!.task_id;
    }
    const size = await groupSize(this.sql, taskGroupId, 1_000_000);
    return { taskGroupId, taskGroupSize: size, cancelledCount: canceled.length, taskIds: canceled };
  }

  // ---- task queues

  async pendingTasks(taskQueueId: string) {
    const { pending } = await countRuns(this.sql, taskQueueId, 100_000);
    return { ...splitTaskQueueId(taskQueueId), taskQueueId, pendingTasks: pending };
  }

  async taskQueueCounts(taskQueueId: string) {
    const { pending, claimed } = await countRuns(this.sql, taskQueueId, 100_000);
    return { taskQueueId, pendingTasks: pending, claimedTasks: claimed };
  }

  async stop(): Promise<void> {
    await this.wakeups.stop();
  }
}

function groupShape(g: TaskGroupRow) {
  return {
    taskGroupId: g.task_group_id, schedulerId: g.scheduler_id, projectId: g.project_id, expires: g.expires.toISOString(),
    ...(g.sealed && { sealed: g.sealed.toISOString() }),
    ...(g.resolved && { resolved: g.resolved.toISOString() }),
  };
}
