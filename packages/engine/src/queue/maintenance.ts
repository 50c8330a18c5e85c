import type { EngineContext } from "../context.ts";
import { deleteExpiredJobs } from "./sql/deleteExpiredJobs.ts";
import { resurrectExpiredJobs } from "./sql/resurrectExpiredJobs.ts";
import type { Jobs } from "./jobs.ts";

export const MAINTENANCE_BATCH = 1000;

/**
 * The queue's background services, each a bounded `runOnce` (River's shape);
 * the worker calls them on a timer. Safe with many workers: both statements
 * use SKIP LOCKED.
 */
export class QueueMaintenance {
  constructor(
    private readonly ctx: EngineContext,
    private readonly jobs: Jobs,
  ) {}

  /** Lease-timeout resurrection; loops until a batch comes back short. Returns jobs moved. */
  async resurrectOnce(): Promise<{ pending: number; failed: number }> {
    let pending = 0;
    let failed = 0;
    for (;;) {
      const rows = await resurrectExpiredJobs(this.ctx.db.sql, this.ctx.clock.now(), MAINTENANCE_BATCH);
      const queues = new Set<string>();
      for (const r of rows) {
        if (r.state === "PENDING") {
          pending++;
          queues.add(r.queue_name);
        } else failed++;
        this.ctx.metrics.leaseExpiries.inc({ queue: r.queue_name, outcome: r.state === "PENDING" ? "retried" : "failed" });
      }
      for (const q of queues) await this.jobs.notify(q);
      if (rows.length < MAINTENANCE_BATCH) break;
    }
    if (pending + failed > 0) this.ctx.logger.info("resurrected expired claims", { pending, failed });
    return { pending, failed };
  }

  /** GC of finished jobs past their queue's retention. Returns jobs deleted. */
  async collectGarbageOnce(): Promise<number> {
    let deleted = 0;
    for (;;) {
      const n = await deleteExpiredJobs(this.ctx.db.sql, this.ctx.clock.now(), MAINTENANCE_BATCH);
      deleted += n;
      if (n < MAINTENANCE_BATCH) break;
    }
    if (deleted > 0) this.ctx.logger.info("deleted finished jobs past retention", { deleted });
    return deleted;
  }
}
