import type { Caller, EngineContext } from "../context.ts";
import { HourglassError, translatePgError } from "../errors.ts";
import { executorConfigSchema, type ExecutorConfig } from "../executors/config.ts";
import { checkQueueName, formatJobDescriptor, jobIdsOfQueue } from "./descriptors.ts";
import type { Queues } from "./queues.ts";
import type { AckDequeuedJobsInput, CheckpointJobsInput, DequeueJobsInput, EnqueueJobsInput } from "./schemas.ts";
import { ackJobs, type Ack } from "./sql/ackJobs.ts";
import { checkpointJobs } from "./sql/checkpointJobs.ts";
import { claimJobs, type ClaimedJob } from "./sql/claimJobs.ts";
import { enqueueJobs } from "./sql/enqueueJobs.ts";
import { listExecutorQueues } from "./sql/listExecutorQueues.ts";
import { JOBS_CHANNEL } from "./sql/queryable.ts";
import { recordAttempts, type AttemptRecord } from "./sql/recordAttempts.ts";
import { releaseJobs } from "./sql/releaseJobs.ts";
import { releaseUnansweredClaim } from "./sql/releaseUnansweredClaim.ts";
import { takeDequeueTokens } from "./sql/takeDequeueTokens.ts";
import { refuseSystemQueue } from "./system.ts";
import type { DequeueResponse } from "./types.ts";

/** A queue as the worker sees it. */
export interface ExecutorQueue {
  name: string;
  claimTimeoutMillis: number;
  /** null = unlimited, 0 = paused. */
  dequeueRateLimit: number | null;
  executor: ExecutorConfig;
}

/** The outcome of running one claimed job, as the worker reports it. */
export interface JobResult {
  id: string;
  claimDescriptor: string;
  succeeded: boolean;
  retryDelayMillis: number;
  appendCustomStatus: string;
  /** Present when the executor produced output worth keeping. */
  attempt?: Omit<AttemptRecord, "jobId" | "claimDescriptor">;
}

/**
 * The job lifecycle: enqueue, dequeue (claim), ack, checkpoint. The public
 * calls refuse system queues (QUEUE_RESERVED): only the engine writes them.
 */
export class Jobs {
  constructor(
    private readonly ctx: EngineContext,
    private readonly queues: Queues,
  ) {}

  async enqueueJobs(caller: Caller, input: EnqueueJobsInput): Promise<{ jobDescriptors: string[] }> {
    checkQueueName(input.queueName);
    refuseSystemQueue(input.queueName, "enqueue jobs on");
    const ids = await enqueueJobs(
      this.ctx.db.sql,
      input.queueName,
      input.jobs.map((j) => ({
        body: j.body,
        priority: j.priority,
        runAfter: j.runAfterTimestampMillis === undefined ? null : new Date(j.runAfterTimestampMillis),
        attemptsAllowed: j.numAttemptsAllowed,
        customStatus: j.customStatus,
      })),
      this.ctx.clock.now(),
      caller.id,
    ).catch((err) => translatePgError(err, { queueName: input.queueName }));
    return { jobDescriptors: ids.map((id) => formatJobDescriptor(input.queueName, id)) };
  }

  /**
   * PinLater's dequeue: optionally acks first (the piggybacked jobAckRequest),
   * then claims up to `limit` due jobs in priority order. A paused queue, or
   * one over its rate limit, answers DEQUEUE_RATE_LIMITED. A dry run only
   * reads, so it is allowed on system queues too.
   */
  async dequeueJobs(caller: Caller, input: DequeueJobsInput): Promise<DequeueResponse> {
    checkQueueName(input.queueName);
    if (!input.dryRun || input.jobAckRequest) refuseSystemQueue(input.queueName, "dequeue jobs of");
    const queue = await this.queues.row(input.queueName);
    if (input.jobAckRequest) {
      if (input.jobAckRequest.queueName !== input.queueName) {
        throw new HourglassError("INVALID_ARGUMENT", "jobAckRequest.queueName must equal queueName");
      }
      await this.ackDequeuedJobs(caller, input.jobAckRequest);
    }
    let limit = input.limit;
    if (queue.dequeueRateLimit === 0) {
      throw new HourglassError("DEQUEUE_RATE_LIMITED", `queue "${input.queueName}" is paused`);
    }
    if (queue.dequeueRateLimit !== null && !input.dryRun) {
      limit = await takeDequeueTokens(this.ctx.db.sql, input.queueName, limit, this.ctx.clock.now());
      if (limit === 0) {
        throw new HourglassError(
          "DEQUEUE_RATE_LIMITED",
          `queue "${input.queueName}" is limited to ${queue.dequeueRateLimit} dequeued jobs per second; try again shortly`,
        );
      }
    }
    const claimed = await claimJobs(this.ctx.db.sql, input.queueName, limit, this.ctx.clock.now(), caller.id, input.dryRun);
    if (!input.dryRun && claimed.length > 0) this.ctx.metrics.claims.inc({ queue: input.queueName }, claimed.length);
    const response: DequeueResponse = { jobs: {}, jobMetadata: {} };
    for (const job of claimed) {
      const d = formatJobDescriptor(input.queueName, job.id);
      response.jobs[d] = job.body;
      response.jobMetadata[d] = {
        attemptsAllowed: job.attempts_allowed,
        attemptsRemaining: job.attempts_remaining,
        claimDescriptor: input.dryRun ? null : job.claim_descriptor,
        priority: job.priority,
      };
    }
    return response;
  }

  /** Acks jobs; returns how many acks applied (stale or unknown ones are ignored, as in PinLater). */
  async ackDequeuedJobs(caller: Caller, input: AckDequeuedJobsInput): Promise<{ acked: number }> {
    checkQueueName(input.queueName);
    refuseSystemQueue(input.queueName, "ack jobs of");
    const toAck = (succeeded: boolean) => (info: AckDequeuedJobsInput["jobsSucceeded"][number], i: number, ids: string[]): Ack => ({
      id: ids[i]!,
      succeeded,
      appendCustomStatus: info.appendCustomStatus,
      retryDelayMillis: info.retryDelayMillis,
      claimDescriptor: info.claimDescriptor ?? null,
    });
    const okIds = jobIdsOfQueue(input.queueName, input.jobsSucceeded.map((j) => j.jobDescriptor));
    const failIds = jobIdsOfQueue(input.queueName, input.jobsFailed.map((j) => j.jobDescriptor));
    const acks = [
      ...input.jobsSucceeded.map((j, i) => toAck(true)(j, i, okIds)),
      ...input.jobsFailed.map((j, i) => toAck(false)(j, i, failIds)),
    ];
    if (acks.length === 0) return { acked: 0 };
    const rows = await this.applyAcks(input.queueName, acks, caller.id);
    return { acked: rows.length };
  }

  async checkpointJobs(caller: Caller, input: CheckpointJobsInput): Promise<{ checkpointed: number }> {
    checkQueueName(input.queueName);
    refuseSystemQueue(input.queueName, "checkpoint jobs of");
    const ids = jobIdsOfQueue(input.queueName, input.requests.map((r) => r.jobDescriptor));
    const now = this.ctx.clock.now();
    const rows = await checkpointJobs(
      this.ctx.db.sql,
      input.queueName,
      input.requests.map((r, i) => ({
        id: ids[i]!,
        newBody: r.newBody ?? null,
        moveToPending: r.moveToPending,
        runAfter: r.runAfterTimestampMillis === undefined ? null : new Date(r.runAfterTimestampMillis),
        numOfAttemptsAllowed: r.numOfAttemptsAllowed ?? null,
        prependCustomStatus: r.prependCustomStatus ?? null,
        claimDescriptor: r.claimDescriptor ?? null,
        setCustomStatus: r.customStatus ?? null,
      })),
      now,
      caller.id,
    );
    await this.notifyIfDue(input.queueName, rows, now);
    return { checkpointed: rows.length };
  }

  // ---- internal API for the worker (no permission checks; LUCI's EngineInternal) ----

  /**
   * Claims for an executor-run queue; the caller has already applied the rate
   * limit. `aheadMs` also claims jobs falling due that much later, for the
   * caller to hold until they are due.
   */
  async claim(queueName: string, limit: number, claimer: string, aheadMs = 0, now = this.ctx.clock.now()): Promise<ClaimedJob[]> {
    const jobs = await claimJobs(this.ctx.db.sql, queueName, limit, now, claimer, false, new Date(now.getTime() + aheadMs));
    if (jobs.length > 0) this.ctx.metrics.claims.inc({ queue: queueName }, jobs.length);
    return jobs;
  }

  /** Queues bound to an executor, for workers. A queue whose stored executor no longer validates is left out. */
  async executorQueues(): Promise<ExecutorQueue[]> {
    const rows = await listExecutorQueues(this.ctx.db.sql);
    return rows.flatMap((r) => {
      const executor = executorConfigSchema.safeParse(r.executor);
      if (!executor.success) {
        this.ctx.logger.warn("queue has an invalid executor; not running it", { queue: r.name });
        return [];
      }
      return [{ name: r.name, claimTimeoutMillis: r.claim_timeout_millis, dequeueRateLimit: r.dequeue_rate_limit, executor: executor.data }];
    });
  }

  /** Grants up to `wanted` dequeues of a rate-limited queue. */
  takeTokens(queueName: string, wanted: number): Promise<number> {
    return takeDequeueTokens(this.ctx.db.sql, queueName, wanted, this.ctx.clock.now());
  }

  /**
   * Stores a batch of executor results' attempt output, then acks them. In
   * that order, so whoever sees a job's new state also sees the attempt that
   * caused it. (A stale claim's attempt is still recorded: it did run.)
   */
  async complete(queueName: string, results: JobResult[], by: string): Promise<number> {
    const attempts = results
      .filter((r) => r.attempt)
      .map((r) => ({ ...r.attempt!, jobId: r.id, claimDescriptor: r.claimDescriptor }));
    await recordAttempts(this.ctx.db.sql, attempts);
    const acks: Ack[] = results.map((r) => ({
      id: r.id,
      succeeded: r.succeeded,
      appendCustomStatus: r.appendCustomStatus,
      retryDelayMillis: r.retryDelayMillis,
      claimDescriptor: r.claimDescriptor,
    }));
    const rows = await this.applyAcks(queueName, acks, by);
    return rows.length;
  }

  /**
   * Keep-alive for claims a worker still holds, optionally saving a new body
   * or replacing the custom status (a handler's checkpoint); returns the ids
   * whose lease was extended.
   */
  async extendLeases(
    queueName: string,
    held: { id: string; claimDescriptor: string; newBody?: string; customStatus?: string }[],
    by: string,
  ): Promise<Set<string>> {
    if (held.length === 0) return new Set();
    const rows = await checkpointJobs(
      this.ctx.db.sql,
      queueName,
      held.map((h) => ({
        id: h.id, claimDescriptor: h.claimDescriptor, newBody: h.newBody ?? null, moveToPending: false, runAfter: null,
        numOfAttemptsAllowed: null, prependCustomStatus: null, setCustomStatus: h.customStatus ?? null,
      })),
      this.ctx.clock.now(),
      by,
    );
    return new Set(rows.map((r) => r.id));
  }

  async release(held: { id: string; claimDescriptor: string }[], by: string): Promise<number> {
    const rows = await releaseJobs(this.ctx.db.sql, held, this.ctx.clock.now(), by);
    for (const queue of new Set(rows.map((r) => r.queue_name))) await this.notify(queue);
    return rows.length;
  }

  /**
   * After a claim failed with a lost connection: hands back whatever that claim
   * took, if it committed (see releaseUnansweredClaim). `claimedAt` is the `now`
   * the claim was made with.
   */
  async releaseUnansweredClaim(queueName: string, claimedAt: Date, claimer: string): Promise<number> {
    const n = await releaseUnansweredClaim(this.ctx.db.sql, queueName, claimedAt, this.ctx.clock.now(), claimer);
    if (n > 0) await this.notify(queueName);
    return n;
  }

  private async applyAcks(queueName: string, acks: Ack[], by: string) {
    const now = this.ctx.clock.now();
    const rows = await ackJobs(this.ctx.db.sql, queueName, acks, now, by);
    countAcks(this.ctx, queueName, acks.length, rows);
    await this.notifyIfDue(queueName, rows, now);
    return rows;
  }

  /** Wakes workers when a transition made a job due now (a retry without delay, a checkpoint to pending). */
  private async notifyIfDue(queueName: string, rows: { state: string; run_after: Date }[], now: Date) {
    if (rows.some((r) => r.state === "PENDING" && r.run_after.getTime() <= now.getTime())) await this.notify(queueName);
  }

  async notify(queueName: string): Promise<void> {
    await this.ctx.db.sql.query(`SELECT pg_notify('${JOBS_CHANNEL}', $1)`, [queueName]);
  }
}

/** Ack outcomes for `hourglass_queue_acks_total`: by the state each applied ack left its job in; the rest were stale. */
function countAcks(ctx: EngineContext, queue: string, sent: number, applied: { state: string }[]): void {
  const by = { succeeded: 0, retried: 0, failed: 0 };
  for (const r of applied) by[r.state === "SUCCEEDED" ? "succeeded" : r.state === "PENDING" ? "retried" : "failed"]++;
  for (const [outcome, n] of Object.entries(by)) if (n > 0) ctx.metrics.acks.inc({ queue, outcome }, n);
  if (sent > applied.length) ctx.metrics.acks.inc({ queue, outcome: "stale" }, sent - applied.length);
}
