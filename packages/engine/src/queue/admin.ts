import type { Caller, EngineContext } from "../context.ts";
import { HourglassError } from "../errors.ts";
import { executorConfigSchema, type ExecutorConfig } from "../executors/config.ts";
import { mergeExecutor } from "../executors/patch.ts";
import { maskExecutor } from "../executors/secrets.ts";
import { appendEvents } from "../events/sql/appendEvents.ts";
import { withTransaction } from "../transaction.ts";
import { checkQueueName } from "./descriptors.ts";
import { adminActor, queueSettings, queueState, settingsChanges } from "./queue-events.ts";
import type { CreateQueueInput, QueueSettings, QueueSettingsPatch } from "./schemas.ts";
import { deleteQueue } from "./sql/deleteQueue.ts";
import { insertQueue } from "./sql/insertQueue.ts";
import { pauseQueue } from "./sql/pauseQueue.ts";
import type { QueueRow } from "./sql/queueRow.ts";
import { reapplyRetention } from "./sql/reapplyRetention.ts";
import { resumeQueue } from "./sql/resumeQueue.ts";
import { updateQueueSettings } from "./sql/updateQueueSettings.ts";
import { isSystemQueue } from "./system.ts";
import type { QueueInfo } from "./types.ts";

export type { QueueRow };

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

/**
 * Queue administration for any queue, system queues included: no
 * reserved-name check (LUCI's EngineInternal). The engine uses it for its own
 * queues; the API goes through Queues, which refuses system queues first.
 * Every change writes its `queue` event (created, updated, paused, resumed,
 * deleted) in the same transaction, with the caller as actor; a call that
 * changes nothing writes none.
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
  async createQueue(caller: Caller, input: CreateQueueInput): Promise<{ created: boolean; queue: QueueInfo }> {
    const { name, project, ...settings } = input;
    checkQueueName(name);
    const now = this.ctx.clock.now();
    const made = await withTransaction(this.ctx.db.pool, async (sql) => {
      const row = await insertQueue(sql, { name, project: project ?? "default", now, settings });
      if (row) {
        await appendEvents(sql, [{
          at: now, project: row.project, entityKind: "queue", entityId: name, action: "created",
          to: queueState(row), actor: adminActor(caller), payload: { settings: queueSettings(row) },
        }]);
      }
      return row;
    });
    return { created: made !== null, queue: toQueueInfo(made ?? (await this.row(name))) };
  }

  /** Deletes the queue and all its jobs. Idempotent: a missing queue is a no-op. */
  async deleteQueue(caller: Caller, name: string): Promise<{ deleted: boolean }> {
    checkQueueName(name);
    return { deleted: await deleteQueue(this.ctx.db.sql, { name, now: this.ctx.clock.now(), by: adminActor(caller) }) };
  }

  /**
   * Changes the settings `patch` names and nothing else; an executor patch is
   * merged into the current executor (mergeExecutor), so fields it leaves
   * out, such as secret headers, stay. A new retention applies to jobs already
   * finished too. Guarded by updated_at (bumped by every change), so a
   * concurrent change is merged again rather than overwritten. Its `updated`
   * event lists what changed (field → from, to; secrets masked), none when
   * nothing did.
   */
  async updateQueue(caller: Caller, name: string, patch: QueueSettingsPatch): Promise<QueueInfo> {
    for (let attempt = 1; ; attempt++) {
      const before = await this.row(name);
      const executor = patch.executor === undefined || patch.executor === null
        ? patch.executor
        : mergeExecutor(before.executor as ExecutorConfig | null, patch.executor);
      const settings: QueueSettings = { ...patch, executor };
      // strictly later than the version read, even within one millisecond
      const now = new Date(Math.max(this.ctx.clock.now().getTime(), before.updatedAt.getTime() + 1));
      const after = await withTransaction(this.ctx.db.pool, async (sql) => {
        const row = await updateQueueSettings(sql, { name, readAt: before.updatedAt, now, by: caller.id, settings });
        if (!row) return null;
        for (const [state, field] of [["SUCCEEDED", "succeededRetentionMillis"], ["FAILED", "failedRetentionMillis"]] as const) {
          if (row[field] !== before[field]) await reapplyRetention(sql, name, state, Number(row[field]));
        }
        const changes = settingsChanges(before, row);
        if (Object.keys(changes).length > 0) {
          const [from, to] = [queueState(before), queueState(row)];
          await appendEvents(sql, [{
            at: now, project: row.project, entityKind: "queue", entityId: name, action: "updated",
            ...(from !== to && { from, to }), actor: adminActor(caller), payload: { changes },
          }]);
        }
        return row;
      });
      if (after) return toQueueInfo(after);
      if (attempt >= 5) throw new HourglassError("CONFLICT", `queue "${name}" kept changing while its settings were saved; try again`);
    }
  }

  /**
   * Pause = dequeue rate limit 0: dequeues answer DEQUEUE_RATE_LIMITED and
   * the worker stops claiming. Its `paused` event carries the reason. A queue
   * already paused is left as it is (no event).
   */
  async pauseQueue(caller: Caller, name: string, reason = ""): Promise<QueueInfo> {
    checkQueueName(name);
    const now = this.ctx.clock.now();
    const row = await pauseQueue(this.ctx.db.sql, { name, now, by: caller.id, actor: adminActor(caller), reason });
    return toQueueInfo(row ?? (await this.row(name)));
  }

  /** Restores the rate limit the queue had before it was paused. A queue not paused is left as it is (no event). */
  async resumeQueue(caller: Caller, name: string, reason = ""): Promise<QueueInfo> {
    checkQueueName(name);
    const row = await resumeQueue(this.ctx.db.sql, { name, now: this.ctx.clock.now(), by: adminActor(caller), reason });
    return toQueueInfo(row ?? (await this.row(name)));
  }
}
