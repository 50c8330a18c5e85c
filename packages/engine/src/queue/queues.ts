import { Prisma } from "@hourglass/db";
import type { Caller, EngineContext } from "../context.ts";
import { HourglassError } from "../errors.ts";
import { executorConfigSchema } from "../executors/config.ts";
import { checkQueueName } from "./descriptors.ts";
import type { CreateQueueInput, QueueSettings } from "./schemas.ts";
import { countJobsByStateAndPriority } from "./sql/countJobs.ts";
import { QUEUE_JOB_STATES, type QueueJobState } from "./states.ts";
import type { QueueInfo } from "./types.ts";

type QueueRow = Prisma.QueueGetPayload<object>;

export const SUMMARY_COUNT_CAP = 10_000;

export interface QueueSummary extends QueueInfo {
  /** Capped at SUMMARY_COUNT_CAP per (state, priority). */
  counts: Record<QueueJobState, { total: number; byPriority: [number, number, number] }>;
  countCap: number;
}

export function toQueueInfo(row: QueueRow): QueueInfo {
  return {
    name: row.name,
    createdAtTimestampMillis: row.createdAt.getTime(),
    claimTimeoutMillis: row.claimTimeoutMillis,
    succeededRetentionMillis: Number(row.succeededRetentionMillis),
    failedRetentionMillis: Number(row.failedRetentionMillis),
    dequeueRateLimit: row.dequeueRateLimit,
    paused: row.dequeueRateLimit === 0,
    pausedAtTimestampMillis: row.pausedAt?.getTime() ?? null,
    pausedBy: row.pausedBy,
    executor: row.executor === null ? null : executorConfigSchema.parse(row.executor),
  };
}

function settingsData(s: QueueSettings) {
  return {
    ...(s.claimTimeoutMillis !== undefined && { claimTimeoutMillis: s.claimTimeoutMillis }),
    ...(s.succeededRetentionMillis !== undefined && { succeededRetentionMillis: BigInt(s.succeededRetentionMillis) }),
    ...(s.failedRetentionMillis !== undefined && { failedRetentionMillis: BigInt(s.failedRetentionMillis) }),
    ...(s.dequeueRateLimit !== undefined && { dequeueRateLimit: s.dequeueRateLimit }),
    ...(s.executor !== undefined && { executor: s.executor === null ? Prisma.DbNull : (s.executor as Prisma.InputJsonValue) }),
  };
}

/** Queue administration: create / delete / settings / pause, and the queue list. */
export class Queues {
  constructor(private readonly ctx: EngineContext) {}

  async get(name: string): Promise<QueueInfo> {
    return toQueueInfo(await this.row(name));
  }

  async row(name: string): Promise<QueueRow> {
    checkQueueName(name);
    const row = await this.ctx.db.prisma.queue.findUnique({ where: { name } });
    if (!row) throw new HourglassError("QUEUE_NOT_FOUND", `queue "${name}" does not exist`);
    return row;
  }

  /** Idempotent (PinLater): an existing queue is left as it is and `created` is false. */
  async createQueue(_caller: Caller, input: CreateQueueInput): Promise<{ created: boolean; queue: QueueInfo }> {
    const { name, ...settings } = input;
    checkQueueName(name);
    const now = this.ctx.clock.now();
    const rows = await this.ctx.db.prisma.queue.createManyAndReturn({
      data: [{ name, createdAt: now, updatedAt: now, ...settingsData(settings) }],
      skipDuplicates: true,
    });
    const row = rows[0] ?? (await this.row(name));
    return { created: rows.length > 0, queue: toQueueInfo(row) };
  }

  /** Deletes the queue and all its jobs. Idempotent: a missing queue is a no-op. */
  async deleteQueue(_caller: Caller, name: string): Promise<{ deleted: boolean }> {
    checkQueueName(name);
    const r = await this.ctx.db.prisma.queue.deleteMany({ where: { name } });
    return { deleted: r.count > 0 };
  }

  async getQueueNames(): Promise<string[]> {
    const rows = await this.ctx.db.prisma.queue.findMany({ select: { name: true }, orderBy: { name: "asc" } });
    return rows.map((r) => r.name);
  }

  /** Changes settings. A new retention applies to jobs already finished too. */
  async updateQueue(_caller: Caller, name: string, settings: QueueSettings): Promise<QueueInfo> {
    const before = await this.row(name);
    const now = this.ctx.clock.now();
    const data = settingsData(settings);
    const pausing = settings.dequeueRateLimit === 0 && before.dequeueRateLimit !== 0;
    const row = await this.ctx.db.prisma.queue.update({
      where: { name },
      data: {
        ...data,
        updatedAt: now,
        ...(settings.dequeueRateLimit !== undefined && settings.dequeueRateLimit !== 0 && { pausedAt: null, pausedBy: null }),
        ...(pausing && { pausedAt: now, rateLimitBeforePause: before.dequeueRateLimit }),
        ...(settings.dequeueRateLimit !== undefined && { rateTokens: 0, rateTokensAt: null }),
      },
    });
    await this.reapplyRetention(name, "SUCCEEDED", settings.succeededRetentionMillis, before.succeededRetentionMillis);
    await this.reapplyRetention(name, "FAILED", settings.failedRetentionMillis, before.failedRetentionMillis);
    return toQueueInfo(row);
  }

  private async reapplyRetention(name: string, state: "SUCCEEDED" | "FAILED", next: number | undefined, prev: bigint) {
    if (next === undefined || BigInt(next) === prev) return;
    await this.ctx.db.sql.query(
      `UPDATE queue_job SET expires_at = finished_at + $3 * interval '1 millisecond'
        WHERE queue_name = $1 AND state = $2::"QueueJobState"`,
      [name, state, next],
    );
  }

  /** Pause = dequeue rate limit 0: dequeues answer DEQUEUE_RATE_LIMITED and the worker stops claiming. */
  async pauseQueue(caller: Caller, name: string): Promise<QueueInfo> {
    const before = await this.row(name);
    if (before.dequeueRateLimit === 0) return toQueueInfo(before);
    const now = this.ctx.clock.now();
    const row = await this.ctx.db.prisma.queue.update({
      where: { name },
      data: { dequeueRateLimit: 0, rateLimitBeforePause: before.dequeueRateLimit, pausedAt: now, pausedBy: caller.id, updatedAt: now },
    });
    return toQueueInfo(row);
  }

  /** Restores the rate limit the queue had before it was paused. */
  async resumeQueue(_caller: Caller, name: string): Promise<QueueInfo> {
    const before = await this.row(name);
    if (before.dequeueRateLimit !== 0) return toQueueInfo(before);
    const row = await this.ctx.db.prisma.queue.update({
      where: { name },
      data: {
        dequeueRateLimit: before.rateLimitBeforePause === 0 ? null : before.rateLimitBeforePause,
        rateLimitBeforePause: null, pausedAt: null, pausedBy: null, rateTokens: 0, rateTokensAt: null,
        updatedAt: this.ctx.clock.now(),
      },
    });
    return toQueueInfo(row);
  }

  /** Every queue (or one) with capped job counts by state and priority. */
  async summaries(only?: string): Promise<QueueSummary[]> {
    if (only !== undefined) checkQueueName(only);
    const [rows, counts] = await Promise.all([
      this.ctx.db.prisma.queue.findMany({ where: only ? { name: only } : {}, orderBy: { name: "asc" } }),
      countJobsByStateAndPriority(this.ctx.db.sql, SUMMARY_COUNT_CAP, only ?? null),
    ]);
    if (only !== undefined && rows.length === 0) throw new HourglassError("QUEUE_NOT_FOUND", `queue "${only}" does not exist`);
    return rows.map((row) => {
      const byState = Object.fromEntries(
        QUEUE_JOB_STATES.map((s) => [s, { total: 0, byPriority: [0, 0, 0] as [number, number, number] }]),
      ) as QueueSummary["counts"];
      for (const c of counts) {
        if (c.name !== row.name) continue;
        const entry = byState[c.state as QueueJobState];
        entry.byPriority[c.priority - 1] = c.n;
        entry.total += c.n;
      }
      return { ...toQueueInfo(row), counts: byState, countCap: SUMMARY_COUNT_CAP };
    });
  }
}
