import { Prisma } from "@hourglass/db";
import type { Caller, EngineContext } from "../context.ts";
import { HourglassError } from "../errors.ts";
import { executorConfigSchema, type ExecutorConfig } from "../executors/config.ts";
import { mergeExecutor } from "../executors/patch.ts";
import { maskExecutor } from "../executors/secrets.ts";
import { checkQueueName } from "./descriptors.ts";
import type { CreateQueueInput, QueueSettings, QueueSettingsPatch } from "./schemas.ts";
import { isSystemQueue } from "./system.ts";
import type { QueueInfo } from "./types.ts";

export type QueueRow = Prisma.QueueGetPayload<object>;

export function toQueueInfo(row: QueueRow): QueueInfo {
  return {
    name: row.name,
    project: row.project,
    system: isSystemQueue(row.name),
    createdAtTimestampMillis: row.createdAt.getTime(),
    claimTimeoutMillis: row.claimTimeoutMillis,
    succeededRetentionMillis: Number(row.succeededRetentionMillis),
    failedRetentionMillis: Number(row.failedRetentionMillis),
    dequeueRateLimit: row.dequeueRateLimit,
    paused: row.dequeueRateLimit === 0,
    pausedAtTimestampMillis: row.pausedAt?.getTime() ?? null,
    pausedBy: row.pausedBy,
    // secrets are write-only: header and env values never leave the engine (executors/secrets.ts)
    executor: row.executor === null ? null : maskExecutor(executorConfigSchema.parse(row.executor)),
  };
}

function settingsData(s: QueueSettings) {
  return {
    ...(s.claimTimeoutMillis !== undefined && { claimTimeoutMillis: s.claimTimeoutMillis }),
    ...(s.succeededRetentionMillis !== undefined && { succeededRetentionMillis: BigInt(s.succeededRetentionMillis) }),
    ...(s.failedRetentionMillis !== undefined && { failedRetentionMillis: BigInt(s.failedRetentionMillis) }),
    ...(s.dequeueRateLimit !== undefined && { dequeueRateLimit: s.dequeueRateLimit }),
    ...(s.executor !== undefined && {
      executor: s.executor === null ? Prisma.DbNull : (s.executor as Prisma.InputJsonValue),
    }),
  };
}

/**
 * Queue administration for any queue, system queues included: no
 * reserved-name check (LUCI's EngineInternal). The engine uses it for its own
 * queues; the API goes through Queues, which refuses system queues first.
 */
export class QueueAdmin {
  constructor(private readonly ctx: EngineContext) {}

  async row(name: string): Promise<QueueRow> {
    checkQueueName(name);
    const row = await this.ctx.db.prisma.queue.findUnique({ where: { name } });
    if (!row) throw new HourglassError("QUEUE_NOT_FOUND", `queue "${name}" does not exist`);
    return row;
  }

  /** Idempotent (PinLater): an existing queue is left as it is and `created` is false. */
  async createQueue(_caller: Caller, input: CreateQueueInput): Promise<{ created: boolean; queue: QueueInfo }> {
    const { name, project, ...settings } = input;
    checkQueueName(name);
    const now = this.ctx.clock.now();
    const rows = await this.ctx.db.prisma.queue.createManyAndReturn({
      data: [{ name, project: project ?? "default", createdAt: now, updatedAt: now, ...settingsData(settings) }],
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

  /**
   * Changes the settings `patch` names and nothing else; an executor patch is
   * merged into the current executor (mergeExecutor), so fields it leaves
   * out, such as secret headers, stay. A new retention applies to jobs already
   * finished too. Guarded by updated_at (bumped by every change), so a
   * concurrent change is merged again rather than overwritten.
   */
  async updateQueue(_caller: Caller, name: string, patch: QueueSettingsPatch): Promise<QueueInfo> {
    for (let attempt = 1; ; attempt++) {
      const before = await this.row(name);
      const executor = patch.executor === undefined || patch.executor === null
        ? patch.executor
        : mergeExecutor(before.executor as ExecutorConfig | null, patch.executor);
      const settings: QueueSettings = { ...patch, executor };
      // strictly later than the version read, even within one millisecond
      const now = new Date(Math.max(this.ctx.clock.now().getTime(), before.updatedAt.getTime() + 1));
      const rate = settings.dequeueRateLimit;
      const pausing = rate === 0 && before.dequeueRateLimit !== 0;
      const updated = await this.ctx.db.prisma.queue.updateMany({
        where: { name, updatedAt: before.updatedAt },
        data: {
          ...settingsData(settings),
          updatedAt: now,
          ...(rate !== undefined && rate !== 0 && { pausedAt: null, pausedBy: null }),
          ...(pausing && { pausedAt: now, rateLimitBeforePause: before.dequeueRateLimit }),
          ...(rate !== undefined && { rateTokens: 0, rateTokensAt: null }),
        },
      });
      if (updated.count === 0) {
        if (attempt < 5) continue;
        throw new HourglassError("CONFLICT", `queue "${name}" kept changing while its settings were saved; try again`);
      }
      await this.reapplyRetention(name, "SUCCEEDED", settings.succeededRetentionMillis, before.succeededRetentionMillis);
      await this.reapplyRetention(name, "FAILED", settings.failedRetentionMillis, before.failedRetentionMillis);
      return toQueueInfo(await this.row(name));
    }
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
      data: {
        dequeueRateLimit: 0, rateLimitBeforePause: before.dequeueRateLimit,
        pausedAt: now, pausedBy: caller.id, updatedAt: now,
      },
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
}
