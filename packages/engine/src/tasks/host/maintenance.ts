import type { EngineContext } from "../../context.ts";
import { systemActor } from "../../events/kinds.ts";
import { withTransaction } from "../../transaction.ts";
import { resolveRun } from "../machine.ts";
import { deleteExpiredGroups } from "../sql/deleteExpiredGroups.ts";
import { deleteExpiredTasks } from "../sql/deleteExpiredTasks.ts";
import { lapsedClaims } from "../sql/lapsedClaims.ts";
import { pastDeadline } from "../sql/pastDeadline.ts";
import { resolveAndFollow } from "./settle.ts";

/**
 * The queue's background passes, each one bounded batch in one transaction,
 * safe to run from several workers at once (SKIP LOCKED): lapsed claims
 * resolve exception / claim-expired and retry while retries are left; tasks
 * past their deadline resolve exception / deadline-exceeded; dependents follow
 * both, by their `requires`; expired tasks, then empty expired groups and
 * idle task queues and workers, are deleted.
 */
export class TaskMaintenance {
  constructor(private readonly ctx: EngineContext) {}

  /** Lapsed claims resolved in this batch. */
  async expireClaims(limit = 500): Promise<number> {
    const now = this.ctx.clock.now();
    return withTransaction(this.ctx.db.pool, async (sql) => {
      const lapsed = await lapsedClaims(sql, now, limit);
      // the retry is decided per task by retries_left in resolveRuns; resolveRun gives the reason's retry kind
      const retry = resolveRun({ kind: "exception", reason: "claim-expired" }, 1).retry;
      return resolveAndFollow(sql, [], null, now, systemActor("claim-expiry"), lapsed.map((r) => ({
        taskId: r.task_id, runId: r.run_id, from: "running" as const, to: "exception" as const,
        reason: "claim-expired", retry,
      })));
    }, { retryDeadlocks: true });
  }

  /** Tasks resolved past their deadline in this batch. */
  async expireDeadlines(limit = 500): Promise<number> {
    const now = this.ctx.clock.now();
    return withTransaction(this.ctx.db.pool, async (sql) => {
      const due = await pastDeadline(sql, now, limit);
      return resolveAndFollow(sql, due.map((t) => ({ taskId: t.task_id, state: t.state, runCount: t.run_count })),
        "deadline-exceeded", now, systemActor("deadline"));
    }, { retryDeadlocks: true });
  }

  /** Rows deleted in this batch (tasks, then groups, queues and workers). */
  async collect(limit = 1000): Promise<number> {
    const now = this.ctx.clock.now();
    const tasks = await deleteExpiredTasks(this.ctx.db.sql, now, limit);
    return tasks + (await deleteExpiredGroups(this.ctx.db.sql, now, limit));
  }

  /** One pass of each, repeated while a batch came back full. */
  async runOnce(limit = 500): Promise<{ claims: number; deadlines: number; collected: number }> {
    const out = { claims: 0, deadlines: 0, collected: 0 };
    for (let n = limit; n === limit;) out.claims += n = await this.expireClaims(limit);
    for (let n = limit; n === limit;) out.deadlines += n = await this.expireDeadlines(limit);
    for (let n = limit; n >= limit;) out.collected += n = await this.collect(limit);
    return out;
  }
}
