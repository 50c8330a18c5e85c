import type { Caller, EngineContext } from "../context.ts";
import { translatePgError } from "../errors.ts";
import { appendEvents } from "../events/sql/appendEvents.ts";
import { withTransaction } from "../transaction.ts";
import type { Queues } from "./queues.ts";
import type { DeleteJobsInput, RetryFailedJobsInput } from "./schemas.ts";
import { deleteJobs } from "./sql/deleteJobs.ts";
import { retryFailedJobs } from "./sql/retryFailedJobs.ts";
import { refuseSystemQueue } from "./system.ts";

/**
 * Operator actions over many jobs at once, each bounded by a limit; system
 * queues refuse them (QUEUE_RESERVED). Each job moved writes its own event;
 * the action writes one more on its queue, in the same transaction, saying
 * who asked, with what filter, and how many jobs it moved (none when it
 * moved none).
 */
export class BulkActions {
  constructor(
    private readonly ctx: EngineContext,
    private readonly queues: Queues,
  ) {}

  async retryFailedJobs(caller: Caller, input: RetryFailedJobsInput): Promise<{ retried: number }> {
    refuseSystemQueue(input.queueName, "retry jobs of");
    const queue = await this.queues.row(input.queueName);
    const now = this.ctx.clock.now();
    const runAfter = input.runAfterTimestampMillis === undefined ? now : new Date(input.runAfterTimestampMillis);
    const retried = await withTransaction(this.ctx.db.pool, async (sql) => {
      const n = await retryFailedJobs(sql, {
        queueName: input.queueName, priority: input.priority ?? null, limit: input.limit,
        attemptsToAllow: input.attemptsToAllow, runAfter, now, by: caller.id,
      });
      const filter = {
        priority: input.priority ?? null, attemptsToAllow: input.attemptsToAllow,
        runAfterTimestampMillis: runAfter.getTime(), limit: input.limit,
      };
      await this.summary(sql, n, { at: now, project: queue.project, queue: input.queueName, action: "jobs_retried", actor: caller.id }, filter);
      return n;
    });
    return { retried };
  }

  async deleteJobs(caller: Caller, input: DeleteJobsInput): Promise<{ deleted: number }> {
    refuseSystemQueue(input.queueName, "delete jobs of");
    const queue = await this.queues.row(input.queueName);
    const now = this.ctx.clock.now();
    const deleted = await withTransaction(this.ctx.db.pool, async (sql) => {
      const n = await deleteJobs(
        sql,
        { queueName: input.queueName, state: input.jobState, priority: input.priority, bodyRegex: input.bodyRegexToMatch, now },
        input.limit,
        caller.id,
      );
      const filter = {
        jobState: input.jobState, priority: input.priority ?? null, bodyRegexToMatch: input.bodyRegexToMatch ?? null, limit: input.limit,
      };
      await this.summary(sql, n, { at: now, project: queue.project, queue: input.queueName, action: "jobs_deleted", actor: caller.id }, filter);
      return n;
    }).catch((err) => translatePgError(err, {}));
    return { deleted };
  }

  /** The action's one event on its queue: who, with what filter, how many (none when it moved none). */
  private summary(
    sql: Parameters<typeof appendEvents>[0], count: number,
    e: { at: Date; project: string; queue: string; action: string; actor: string }, filter: Record<string, unknown>,
  ): Promise<void> {
    if (count === 0) return Promise.resolve();
    return appendEvents(sql, [{
      at: e.at, project: e.project, entityKind: "queue", entityId: e.queue, action: e.action, actor: e.actor,
      payload: { filter, count },
    }]);
  }
}
