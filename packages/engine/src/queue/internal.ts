import type { Sql } from "@hourglass/db";
import { encodeCarrier, type CarrierKind, type CarrierOf } from "./carriers.ts";
import { enqueueJobs } from "./sql/enqueueJobs.ts";

export { decodeCarrier, encodeCarrier, type CarrierKind, type CarrierOf } from "./carriers.ts";
export { ENQUEUE_COLUMNS, enqueuedEvents, enqueueValues } from "./sql/enqueueJobs.ts";

/** One engine-internal job: what it carries and how it rides the queue. */
export interface InternalJob<K extends CarrierKind> {
  carries: CarrierOf<K>;
  priority: number;
  /** Not before this (null: now). */
  runAfter: Date | null;
  attemptsAllowed: number;
  customStatus: string;
}

/**
 * The queue as the engine's own parts use it (LUCI's EngineInternal: no
 * access checks, never behind a transport). `enqueue` runs on the caller's
 * `sql` — pass the transaction that makes the change the jobs belong to, and
 * they commit (with their `enqueued` events) or roll back with it.
 */
export const queueInternal = {
  /** Enqueues jobs carrying `kind` on `queueName`; returns their ids in input order. `actor` goes in their events. */
  enqueue<K extends CarrierKind>(
    sql: Sql, queueName: string, kind: K, jobs: InternalJob<K>[], now: Date, actor: string,
  ): Promise<string[]> {
    if (jobs.length === 0) return Promise.resolve([]);
    return enqueueJobs(sql, queueName, jobs.map((j) => ({
      body: encodeCarrier(kind, j.carries),
      priority: j.priority,
      runAfter: j.runAfter,
      attemptsAllowed: j.attemptsAllowed,
      customStatus: j.customStatus,
    })), now, actor);
  },
};
export type QueueInternal = typeof queueInternal;
