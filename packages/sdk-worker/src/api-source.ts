import { createHourglassClient, isHourglassError, type HourglassClient } from "../../client/src/index.ts";
import { systemClock } from "../../engine/src/index.ts";
import type { ClaimedJob, ExecutorQueue, HeldCheckpoint, JobResult, QueueSource } from "../../engine/src/worker/index.ts";
import type { Logger } from "./types.ts";

/** At most this many jobs per checkpoint call (the API takes 10,000). */
const CHUNK = 1000;

/**
 * The queue runtime's source over the API, for a worker with a token and no
 * database access: dequeueJobs claims, ackDequeuedJobs acks, checkpointJobs
 * keeps leases and hands jobs back. The same claim guards apply (every ack and
 * checkpoint names its claim). What the API cannot do: wake-ups (the worker
 * polls), maintenance (Hourglass's workers resurrect lapsed leases), hand back
 * a claim whose answer was lost (its lease lapses instead), record attempt
 * output, and release without counting the attempt (a job handed back on
 * shutdown has used one, as after a lapsed lease).
 */
export class ApiQueueSource implements QueueSource {
  readonly clock = systemClock;
  private readonly client: HourglassClient;
  private down = false;

  constructor(
    o: { url: string; token: string },
    private readonly queueNames: string[],
    readonly logger: Logger,
  ) {
    this.client = createHourglassClient({ url: o.url, token: o.token });
  }

  connectionLost(err: unknown): boolean {
    const lost = isHourglassError(err) && err.kind === "unavailable";
    if (lost && !this.down) this.logger.warn("Hourglass's API is not answering; retrying", { error: (err as Error).message });
    this.down = lost;
    return lost;
  }

  private answered<T>(value: T): T {
    if (this.down) this.logger.info("Hourglass's API answers again");
    this.down = false;
    return value;
  }

  async executorQueues(): Promise<ExecutorQueue[]> {
    const queues: ExecutorQueue[] = [];
    for (const name of this.queueNames) {
      try {
        const q = await this.client.queues.getQueue.query({ name });
        if (q.executor) {
          queues.push({ name, claimTimeoutMillis: q.claimTimeoutMillis, dequeueRateLimit: q.dequeueRateLimit, executor: q.executor });
        }
      } catch (err) {
        if (!isHourglassError(err) || err.kind !== "not_found") throw err;
        this.logger.warn("queue not found (or not visible to this token); not running it", { queue: name });
      }
    }
    return this.answered(queues);
  }

  /** The server applies the rate limit at dequeue (DEQUEUE_RATE_LIMITED). */
  async takeTokens(_queueName: string, wanted: number): Promise<number> {
    return wanted;
  }

  async claim(queueName: string, limit: number, _claimer: string, _aheadMs: number, now: Date): Promise<ClaimedJob[]> {
    let answer;
    try {
      answer = await this.client.queues.dequeueJobs.mutate({ queueName, limit });
    } catch (err) {
      if (isHourglassError(err) && err.code === "DEQUEUE_RATE_LIMITED") return [];
      throw err;
    }
    this.answered(null);
    return Object.entries(answer.jobs).map(([descriptor, body]) => {
      const m = answer.jobMetadata[descriptor]!;
      return {
        id: descriptor.slice(descriptor.lastIndexOf(":") + 1), body, priority: m.priority,
        attempts_allowed: m.attemptsAllowed, attempts_remaining: m.attemptsRemaining,
        claim_descriptor: m.claimDescriptor, claim_count: m.attemptsAllowed - m.attemptsRemaining, run_after: now,
      };
    });
  }

  async complete(queueName: string, results: JobResult[]): Promise<number> {
    const info = (r: JobResult) => ({
      jobDescriptor: `${queueName}:${r.id}`, claimDescriptor: r.claimDescriptor, retryDelayMillis: r.retryDelayMillis,
      appendCustomStatus: r.appendCustomStatus,
    });
    for (const r of results) {
      if (!r.succeeded) this.logger.warn("job failed", { queue: queueName, jobId: r.id, error: r.attempt?.error ?? null });
    }
    const { acked } = await this.client.queues.ackDequeuedJobs.mutate({
      queueName, jobsSucceeded: results.filter((r) => r.succeeded).map(info), jobsFailed: results.filter((r) => !r.succeeded).map(info),
    });
    return this.answered(acked);
  }

  /**
   * One call per chunk; the API answers with a count, so when some were not
   * checkpointed (lost claims) each of that chunk is asked alone to learn which.
   */
  async checkpoint(queueName: string, held: HeldCheckpoint[]): Promise<Set<string>> {
    const kept = new Set<string>();
    for (let i = 0; i < held.length; i += CHUNK) {
      const chunk = held.slice(i, i + CHUNK);
      const n = await this.checkpointCall(queueName, chunk);
      if (n === chunk.length) for (const h of chunk) kept.add(h.id);
      else if (n > 0) for (const h of chunk) if ((await this.checkpointCall(queueName, [h])) === 1) kept.add(h.id);
    }
    return this.answered(kept);
  }

  private async checkpointCall(queueName: string, held: HeldCheckpoint[], moveToPending = false): Promise<number> {
    const requests = held.map((h) => ({
      jobDescriptor: `${queueName}:${h.id}`, claimDescriptor: h.claimDescriptor, moveToPending,
      ...(h.newBody === undefined ? {} : { newBody: h.newBody }),
      ...(h.customStatus === undefined ? {} : { customStatus: h.customStatus }),
    }));
    return (await this.client.queues.checkpointJobs.mutate({ queueName, requests })).checkpointed;
  }

  async release(held: { id: string; claimDescriptor: string; queueName: string }[]): Promise<number> {
    let released = 0;
    for (const queueName of new Set(held.map((h) => h.queueName))) {
      const mine = held.filter((h) => h.queueName === queueName);
      for (let i = 0; i < mine.length; i += CHUNK) released += await this.checkpointCall(queueName, mine.slice(i, i + CHUNK), true);
    }
    return this.answered(released);
  }
}
