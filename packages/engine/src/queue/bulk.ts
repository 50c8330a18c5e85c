import type { Caller, EngineContext } from "../context.ts";
import { translatePgError } from "../errors.ts";
import type { Queues } from "./queues.ts";
import type { DeleteJobsInput, RetryFailedJobsInput } from "./schemas.ts";
import { deleteJobs } from "./sql/deleteJobs.ts";
import { retryFailedJobs } from "./sql/retryFailedJobs.ts";
import { refuseSystemQueue } from "./system.ts";

/** Operator actions over many jobs at once, each bounded by a limit; system queues refuse them (QUEUE_RESERVED). */
export class BulkActions {
  constructor(
    private readonly ctx: EngineContext,
    private readonly queues: Queues,
  ) {}

  async retryFailedJobs(caller: Caller, input: RetryFailedJobsInput): Promise<{ retried: number }> {
    refuseSystemQueue(input.queueName, "retry jobs of");
    await this.queues.row(input.queueName);
    const now = this.ctx.clock.now();
    const retried = await retryFailedJobs(this.ctx.db.sql, {
      queueName: input.queueName,
      priority: input.priority ?? null,
      limit: input.limit,
      attemptsToAllow: input.attemptsToAllow,
      runAfter: input.runAfterTimestampMillis === undefined ? now : new Date(input.runAfterTimestampMillis),
      now,
      by: caller.id,
    });
    return { retried };
  }

  async deleteJobs(caller: Caller, input: DeleteJobsInput): Promise<{ deleted: number }> {
    refuseSystemQueue(input.queueName, "delete jobs of");
    await this.queues.row(input.queueName);
    const deleted = await deleteJobs(
      this.ctx.db.sql,
      { queueName: input.queueName, state: input.jobState, priority: input.priority, bodyRegex: input.bodyRegexToMatch, now: this.ctx.clock.now() },
      input.limit,
      caller.id,
    ).catch((err) => translatePgError(err, {}));
    return { deleted };
  }
}
