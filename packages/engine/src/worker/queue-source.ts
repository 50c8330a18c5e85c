import type { Clock } from "../clock.ts";
import type { Engine } from "../engine.ts";
import type { Logger } from "../logger.ts";
import type { ExecutorQueue, JobResult } from "../queue/jobs.ts";
import type { ClaimedJob } from "../queue/sql/claimJobs.ts";

/** A claim a checkpoint names: extends its lease, and optionally saves a body or replaces the custom status. */
export interface HeldCheckpoint {
  id: string;
  claimDescriptor: string;
  newBody?: string;
  customStatus?: string;
}

/**
 * What the queue runtime (QueueWorker) needs from wherever jobs live: the
 * engine over the database, or the API over HTTP (@hourglass/sdk-worker). The
 * runtime's claim / lease / batch-ack logic is the same for both; only these
 * calls differ. Each method has the contract of the engine's Jobs method of
 * the same name.
 */
export interface QueueSource {
  clock: Clock;
  logger: Logger;
  /** Reports an error to the outage monitor; true when it was a lost connection (wait and retry). */
  connectionLost(err: unknown): boolean;
  /** The queues this worker may run (bound to an executor). */
  executorQueues(): Promise<ExecutorQueue[]>;
  /** Grants up to `wanted` dequeues of a rate-limited queue. */
  takeTokens(queueName: string, wanted: number): Promise<number>;
  claim(queueName: string, limit: number, claimer: string, aheadMs: number, now: Date): Promise<ClaimedJob[]>;
  complete(queueName: string, results: JobResult[], by: string): Promise<number>;
  /** Checkpoints held claims (a keep-alive at least); returns the ids still held. */
  checkpoint(queueName: string, held: HeldCheckpoint[], by: string): Promise<Set<string>>;
  /** Hands claims back to PENDING (a shutdown's unstarted or interrupted jobs). */
  release(held: { id: string; claimDescriptor: string; queueName: string }[], by: string): Promise<number>;
  /** After a claim whose answer was lost with its connection; absent: such claims lapse with their leases. */
  releaseUnansweredClaim?(queueName: string, claimedAt: Date, claimer: string): Promise<number>;
  /** LISTEN/NOTIFY wake-ups; absent: the runtime polls. */
  databaseUrl?: string;
  /** Resurrection and GC; absent: another worker runs them. */
  maintenance?: { resurrectOnce(): Promise<unknown>; collectGarbageOnce(): Promise<unknown> };
}

/** The engine as a QueueSource: its internal job calls over the database, with no permission checks. */
export function engineQueueSource(engine: Engine): QueueSource {
  const { ctx, jobs } = engine;
  return {
    clock: ctx.clock,
    logger: ctx.logger,
    connectionLost: (err) => ctx.db.outage.failed(err),
    executorQueues: () => jobs.executorQueues(),
    takeTokens: (queueName, wanted) => jobs.takeTokens(queueName, wanted),
    claim: (queueName, limit, claimer, aheadMs, now) => jobs.claim(queueName, limit, claimer, aheadMs, now),
    complete: (queueName, results, by) => jobs.complete(queueName, results, by),
    checkpoint: (queueName, held, by) => jobs.extendLeases(queueName, held, by),
    release: (held, by) => jobs.release(held, by),
    releaseUnansweredClaim: (queueName, claimedAt, claimer) => jobs.releaseUnansweredClaim(queueName, claimedAt, claimer),
    databaseUrl: ctx.db.url,
    maintenance: engine.maintenance,
  };
}
