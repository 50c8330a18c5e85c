import type { Caller, EngineContext } from "../context.ts";
import { translatePgError } from "../errors.ts";
import { appendEvents } from "../events/sql/appendEvents.ts";
import { withTransaction } from "../transaction.ts";
import { formatJobDescriptor, jobIdsOfQueue } from "./descriptors.ts";
import type { Queues } from "./queues.ts";
import type { CancelJobsInput, DeleteJobsInput, RequeueJobsInput, RetryFailedJobsInput } from "./schemas.ts";
import type { BulkTarget } from "./sql/bulkTarget.ts";
import { cancelJobs } from "./sql/cancelJobs.ts";
import { deleteJobs } from "./sql/deleteJobs.ts";
import { readJobStates } from "./sql/readJobStates.ts";
import { requeueJobs, REQUEUEABLE_STATES } from "./sql/requeueJobs.ts";
import { retryFailedJobs } from "./sql/retryFailedJobs.ts";
import type { QueueJobState } from "./states.ts";
import { refuseSystemQueue } from "./system.ts";

/** Jobs of a selection a bulk action left alone, grouped by why (a few descriptors as examples). */
export interface Skipped {
  reason: string;
  count: number;
  jobDescriptors: string[];
}

/** What every bulk action answers besides its count. */
export interface BulkOutcome {
  skipped: Skipped[];
  /** A filter may match more: call again with `before` (a selection is done in one call). */
  more: boolean;
  /** Pass to the action's next batch: its filter then takes only jobs last changed before the action began. */
  before: number;
}

const PAST: Record<string, string> = { retry: "retried", delete: "deleted", requeue: "requeued", cancel: "cancelled" };

type FilterInput = {
  queueName: string; jobDescriptors?: string[]; priority?: number; bodyRegexToMatch?: string; future?: boolean;
  limit: number; before?: number;
};

/**
 * Operator actions over many jobs at once — by selection or by filter, in
 * batches bounded by a limit; system queues refuse them (QUEUE_RESERVED).
 * Each job moved writes its own event; the batch writes one more on its
 * queue, in the same transaction, saying who asked, with what filter or
 * selection, how many jobs it moved and what it skipped (none when it moved
 * none). Every write is one statement of queue/sql, which owns the job's states.
 */
export class BulkActions {
  constructor(
    private readonly ctx: EngineContext,
    private readonly queues: Queues,
  ) {}

  async retryFailedJobs(caller: Caller, input: RetryFailedJobsInput): Promise<{ retried: number } & BulkOutcome> {
    const now = this.ctx.clock.now();
    const runAfter = input.runAfterTimestampMillis === undefined ? now : new Date(input.runAfterTimestampMillis);
    const r = await this.run(caller, input, "FAILED", ["FAILED"], "retry", "jobs_retried", now, (sql, target) =>
      retryFailedJobs(sql, target, { limit: input.limit, attemptsToAllow: input.attemptsToAllow, runAfter, now, by: caller.id }),
    { attemptsToAllow: input.attemptsToAllow, runAfterTimestampMillis: runAfter.getTime() });
    return { retried: r.count, ...r.outcome };
  }

  async deleteJobs(caller: Caller, input: DeleteJobsInput): Promise<{ deleted: number } & BulkOutcome> {
    const now = this.ctx.clock.now();
    const r = await this.run(caller, input, input.jobState ?? "FAILED", null, "delete", "jobs_deleted", now,
      (sql, target) => deleteJobs(sql, target, input.limit, now, caller.id), { jobState: input.jobState ?? null });
    return { deleted: r.count, ...r.outcome };
  }

  /** Back to PENDING, due at runAfter, with new attempts; a claimed job is skipped (its worker holds it). */
  async requeueJobs(caller: Caller, input: RequeueJobsInput): Promise<{ requeued: number } & BulkOutcome> {
    const now = this.ctx.clock.now();
    const runAfter = input.runAfterTimestampMillis === undefined ? now : new Date(input.runAfterTimestampMillis);
    // a requeue leaves PENDING jobs matching a PENDING filter: later batches must not take them again
    const bounded = { ...input, before: input.before ?? now.getTime() };
    const r = await this.run(caller, bounded, input.jobState ?? "PENDING", REQUEUEABLE_STATES, "requeue", "jobs_requeued", now,
      (sql, target) => requeueJobs(sql, target, {
        limit: input.limit, runAfter, attempts: input.attemptsToAllow ?? null, now, by: caller.id,
      }),
      { jobState: input.jobState ?? null, runAfterTimestampMillis: runAfter.getTime(), attemptsToAllow: input.attemptsToAllow ?? null });
    return { requeued: r.count, ...r.outcome };
  }

  /** PENDING → FAILED before a worker claims them; kept for the failed retention, so a retry brings them back. */
  async cancelJobs(caller: Caller, input: CancelJobsInput): Promise<{ cancelled: number } & BulkOutcome> {
    const now = this.ctx.clock.now();
    const r = await this.run(caller, input, "PENDING", ["PENDING"], "cancel", "jobs_cancelled", now,
      (sql, target) => cancelJobs(sql, target, input.limit, now, caller.id), {});
    return { cancelled: r.count, ...r.outcome };
  }

  /**
   * One batch: the target from the input, the action's statement, the
   * skipped jobs of a selection with why, and the summary event — one transaction.
   * `from` is the states the action moves jobs from (null: any).
   */
  private async run(
    caller: Caller, input: FilterInput, filterState: QueueJobState, from: readonly string[] | null, verb: string,
    action: string, now: Date, act: (sql: Parameters<typeof appendEvents>[0], target: BulkTarget) => Promise<string[]>,
    extra: Record<string, unknown>,
  ): Promise<{ count: number; outcome: BulkOutcome }> {
    refuseSystemQueue(input.queueName, `${verb} jobs of`);
    const queue = await this.queues.row(input.queueName);
    const ids = input.jobDescriptors === undefined ? null : [...new Set(jobIdsOfQueue(input.queueName, input.jobDescriptors))];
    const before = input.before === undefined ? null : new Date(input.before);
    const target: BulkTarget = ids !== null
      ? { kind: "ids", queueName: input.queueName, ids }
      : {
        kind: "filter", before,
        filter: {
          queueName: input.queueName, state: filterState, priority: input.priority, future: input.future,
          bodyRegex: input.bodyRegexToMatch, now,
        },
      };
    return withTransaction(this.ctx.db.pool, async (sql) => {
      const moved = await act(sql, target);
      const skipped = ids === null ? [] : await this.skipped(sql, input.queueName, ids, new Set(moved), from, verb);
      const what = ids !== null
        ? { selection: ids.length }
        : {
          filter: {
            priority: input.priority ?? null, bodyRegexToMatch: input.bodyRegexToMatch ?? null, future: input.future ?? null,
            limit: input.limit, ...extra,
          },
        };
      if (moved.length > 0) {
        await appendEvents(sql, [{
          at: now, project: queue.project, entityKind: "queue", entityId: input.queueName, action, actor: caller.id,
          payload: { ...what, count: moved.length, skipped: skipped.map((s) => ({ reason: s.reason, count: s.count })) },
        }]);
      }
      const more = ids === null && moved.length === input.limit;
      return { count: moved.length, outcome: { skipped, more, before: (before ?? now).getTime() } };
    }).catch((err) => translatePgError(err, {}));
  }

  /** Why each job of the selection that did not move was skipped, grouped by reason. */
  private async skipped(
    sql: Parameters<typeof appendEvents>[0], queueName: string, ids: string[], moved: Set<string>,
    from: readonly string[] | null, verb: string,
  ): Promise<Skipped[]> {
    const left = ids.filter((id) => !moved.has(id));
    const states = await readJobStates(sql, queueName, left);
    const groups = new Map<string, string[]>();
    for (const id of left) {
      const state = states.get(id);
      const reason = state === undefined
        ? "no such job (deleted, or collected after its retention)"
        : from !== null && !from.includes(state)
          ? `${state}: only ${from.join(", ")} jobs can be ${PAST[verb] ?? verb}`
          : "busy: a worker was changing it at that moment; try again";
      groups.set(reason, [...(groups.get(reason) ?? []), formatJobDescriptor(queueName, id)]);
    }
    return [...groups].map(([reason, d]) => ({ reason, count: d.length, jobDescriptors: d.slice(0, 5) }));
  }
}
