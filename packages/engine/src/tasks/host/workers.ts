import type { Caller, EngineContext } from "../../context.ts";
import { HourglassError } from "../../errors.ts";
import { listRuns } from "../sql/listRuns.ts";
import { listTaskQueues, type TaskQueueRow } from "../sql/listTaskQueues.ts";
import { taskDefinition } from "./shapes.ts";
import { listWorkers, type WorkerRow } from "../sql/listWorkers.ts";
import { quarantineWorker } from "../sql/quarantineWorker.ts";

type WorkerRef = { provisionerId: string; workerType: string; workerGroup: string; workerId: string };

const taskQueueShape = (q: TaskQueueRow) => ({
  taskQueueId: q.task_queue_id, expires: q.expires.toISOString(), lastDateActive: q.last_date_active.toISOString(),
  description: q.description, stability: q.stability,
});

const quarantined = (w: WorkerRow, now: Date) =>
  w.quarantine_until !== null && w.quarantine_until.getTime() > now.getTime()
    ? { quarantineUntil: w.quarantine_until.toISOString() }
    : {};

/** Task queues and the workers seen on them, in Taskcluster's shapes (taskqueue-response, worker-response). */
export class TaskWorkers {
  constructor(private readonly ctx: EngineContext) {}

  async listTaskQueues(input: { continuationToken?: string; limit: number }) {
    const rows = await listTaskQueues(this.ctx.db.sql, input.continuationToken ?? "", this.ctx.clock.now(), input.limit + 1);
    const more = rows.length > input.limit;
    return {
      taskQueues: rows.slice(0, input.limit).map(taskQueueShape),
      ...(more && { continuationToken: rows[input.limit - 1]!.task_queue_id }),
    };
  }

  /**
   * listPendingTasks / listClaimedTasks: a task queue's pending or running
   * runs in claim order; the continuation token is the last run's place in
   * that order (base64url JSON), one this server did not issue is a 400.
   */
  async listRuns(state: "pending" | "running", input: { taskQueueId: string; continuationToken?: string; limit: number }) {
    const after = input.continuationToken === undefined
      ? { priority: -1, scheduled: new Date(0), taskId: "" }
      : decodeToken(input.continuationToken);
    const rows = await listRuns(this.ctx.db.sql, input.taskQueueId, state, after, input.limit + 1);
    const page = rows.slice(0, input.limit);
    const last = page[page.length - 1];
    return {
      tasks: page.map((r) => state === "pending"
        ? { taskId: r.task_id, runId: r.run_id, inserted: r.scheduled.toISOString(), task: taskDefinition(r) }
        : {
          taskId: r.task_id, runId: r.run_id, workerGroup: r.worker_group!, workerId: r.worker_id!,
          claimed: r.started!.toISOString(), task: taskDefinition(r),
        }),
      ...(rows.length > input.limit && last && {
        continuationToken: Buffer.from(JSON.stringify([last.run_rank, last.scheduled.toISOString(), last.task_id]))
          .toString("base64url"),
      }),
    };
  }

  async getTaskQueue(taskQueueId: string) {
    const [q] = await listTaskQueues(this.ctx.db.sql, "", this.ctx.clock.now(), 1, taskQueueId);
    if (!q) throw new HourglassError("TASK_NOT_FOUND", `task queue ${taskQueueId} does not exist`);
    return taskQueueShape(q);
  }

  async listWorkers(input: {
    provisionerId: string; workerType: string; quarantined?: boolean; continuationToken?: string; limit: number;
  }) {
    const now = this.ctx.clock.now();
    const slash = (input.continuationToken ?? "").indexOf("/");
    const token = input.continuationToken ?? "";
    const after: [string, string] = slash < 0 ? ["", ""] : [token.slice(0, slash), token.slice(slash + 1)];
    const rows = await listWorkers(this.ctx.db.sql, `${input.provisionerId}/${input.workerType}`, after, now,
      input.quarantined ?? null, input.limit + 1);
    const more = rows.length > input.limit;
    const page = rows.slice(0, input.limit);
    return {
      workers: page.map((w) => ({
        workerGroup: w.worker_group, workerId: w.worker_id, firstClaim: w.first_claim.toISOString(),
        lastDateActive: w.last_date_active.toISOString(), ...quarantined(w, now),
        ...(w.recent_tasks.length > 0 && { latestTask: w.recent_tasks[w.recent_tasks.length - 1] }),
      })),
      ...(more && { continuationToken: `${page[page.length - 1]!.worker_group}/${page[page.length - 1]!.worker_id}` }),
    };
  }

  async getWorker(ref: WorkerRef) {
    const now = this.ctx.clock.now();
    const [w] = await listWorkers(this.ctx.db.sql, `${ref.provisionerId}/${ref.workerType}`, ["", ""], now, null, 1,
      `${ref.workerGroup}/${ref.workerId}`);
    if (!w) throw notFound(ref);
    return this.workerShape(ref, w, now);
  }

  /** quarantineWorker: the worker gets no work until `quarantineUntil` (an operator action, with its event). */
  async quarantineWorker(caller: Caller, ref: WorkerRef & { quarantineUntil: string }) {
    const now = this.ctx.clock.now();
    const queue = `${ref.provisionerId}/${ref.workerType}`;
    const until = new Date(ref.quarantineUntil);
    const w = await quarantineWorker(this.ctx.db.sql, queue, ref.workerGroup, ref.workerId, until, now, caller.id);
    if (!w) throw notFound(ref);
    return this.workerShape(ref, w, now);
  }

  private workerShape(ref: WorkerRef, w: WorkerRow, now: Date) {
    return {
      provisionerId: ref.provisionerId, workerType: ref.workerType, workerGroup: w.worker_group, workerId: w.worker_id,
      recentTasks: w.recent_tasks, expires: w.expires.toISOString(), firstClaim: w.first_claim.toISOString(),
      lastDateActive: w.last_date_active.toISOString(), ...quarantined(w, now), actions: [],
    };
  }
}

const notFound = (r: WorkerRef) =>
  new HourglassError("TASK_NOT_FOUND",
    `worker ${r.workerGroup}/${r.workerId} of ${r.provisionerId}/${r.workerType} does not exist`);

function decodeToken(token: string): { priority: number; scheduled: Date; taskId: string } {
  try {
    const [priority, scheduled, taskId] = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as unknown[];
    const at = new Date(String(scheduled));
    if (Number.isInteger(priority) && typeof taskId === "string" && !Number.isNaN(at.getTime())
      && (priority as number) >= 0 && (priority as number) <= 6 && taskId.length <= 22) {
      return { priority: priority as number, scheduled: at, taskId };
    }
  } catch {
    // falls through to the error below
  }
  throw new HourglassError("CONTINUATION_INVALID", "continuationToken is not one this server issued",
    [{ path: "continuationToken", message: "not one this server issued" }]);
}
