import type { Caller, EngineContext } from "../context.ts";
import { HourglassError } from "../errors.ts";
import { toQueueInfo, type QueueAdmin, type QueueRow } from "./admin.ts";
import { checkQueueName } from "./descriptors.ts";
import type { CreateQueueInput, QueueSettingsPatch } from "./schemas.ts";
import { countJobsByStateAndPriority } from "./sql/countJobs.ts";
import { QUEUE_JOB_STATES, type QueueJobState } from "./states.ts";
import { refuseSystemQueue } from "./system.ts";
import type { QueueInfo } from "./types.ts";

export const SUMMARY_COUNT_CAP = 10_000;

export interface JobCount {
  total: number;
  byPriority: [number, number, number];
}

const zero = (): JobCount => ({ total: 0, byPriority: [0, 0, 0] });

export interface QueueSummary extends QueueInfo {
  /** Capped at SUMMARY_COUNT_CAP per (state, priority). */
  counts: Record<QueueJobState, JobCount>;
  /**
   * The PENDING jobs not due yet (runAfter later than now), included in
   * counts.PENDING; the rest are due. Capped like the counts.
   */
  pendingLater: JobCount;
  countCap: number;
}

/**
 * The queue list and queue administration as the API offers it. Every write
 * refuses system queues (QUEUE_RESERVED) before it reaches QueueAdmin; reads
 * include them, marked `system`.
 */
export class Queues {
  constructor(
    private readonly ctx: EngineContext,
    private readonly admin: QueueAdmin,
  ) {}

  async get(name: string): Promise<QueueInfo> {
    return toQueueInfo(await this.row(name));
  }

  row(name: string): Promise<QueueRow> {
    return this.admin.row(name);
  }

  /** Idempotent (PinLater): an existing queue is left as it is and `created` is false. */
  createQueue(caller: Caller, input: CreateQueueInput): Promise<{ created: boolean; queue: QueueInfo }> {
    checkQueueName(input.name);
    refuseSystemQueue(input.name, "create");
    return this.admin.createQueue(caller, input);
  }

  /** Deletes the queue and all its jobs. Idempotent: a missing queue is a no-op. */
  deleteQueue(caller: Caller, name: string): Promise<{ deleted: boolean }> {
    checkQueueName(name);
    refuseSystemQueue(name, "delete");
    return this.admin.deleteQueue(caller, name);
  }

  async getQueueNames(): Promise<string[]> {
    const rows = await this.ctx.db.prisma.queue.findMany({ select: { name: true }, orderBy: { name: "asc" } });
    return rows.map((r) => r.name);
  }

  /** Changes only the settings named (an executor patch merges into the executor; see QueueAdmin.updateQueue). */
  updateQueue(caller: Caller, name: string, settings: QueueSettingsPatch): Promise<QueueInfo> {
    checkQueueName(name);
    refuseSystemQueue(name, "change the settings of");
    return this.admin.updateQueue(caller, name, settings);
  }

  /** `reason` goes in the queue's `paused` event (the audit log), as a scheduler job's pause reason does. */
  pauseQueue(caller: Caller, name: string, reason?: string): Promise<QueueInfo> {
    checkQueueName(name);
    refuseSystemQueue(name, "pause");
    return this.admin.pauseQueue(caller, name, reason);
  }

  resumeQueue(caller: Caller, name: string, reason?: string): Promise<QueueInfo> {
    checkQueueName(name);
    refuseSystemQueue(name, "resume");
    return this.admin.resumeQueue(caller, name, reason);
  }

  /** Every queue (or one) with capped job counts by state and priority. */
  async summaries(only?: string): Promise<QueueSummary[]> {
    if (only !== undefined) checkQueueName(only);
    const [rows, counts] = await Promise.all([
      this.ctx.db.prisma.queue.findMany({ where: only ? { name: only } : {}, orderBy: { name: "asc" } }),
      countJobsByStateAndPriority(this.ctx.db.sql, SUMMARY_COUNT_CAP, only ?? null, this.ctx.clock.now()),
    ]);
    if (only !== undefined && rows.length === 0) throw new HourglassError("QUEUE_NOT_FOUND", `queue "${only}" does not exist`);
    return rows.map((row) => {
      const byState = Object.fromEntries(QUEUE_JOB_STATES.map((s) => [s, zero()])) as QueueSummary["counts"];
      const pendingLater = zero();
      for (const c of counts) {
        if (c.name !== row.name) continue;
        const entry = byState[c.state as QueueJobState];
        entry.byPriority[c.priority - 1] = c.n;
        entry.total += c.n;
        pendingLater.byPriority[c.priority - 1]! += c.later;
        pendingLater.total += c.later;
      }
      return { ...toQueueInfo(row), counts: byState, pendingLater, countCap: SUMMARY_COUNT_CAP };
    });
  }
}
