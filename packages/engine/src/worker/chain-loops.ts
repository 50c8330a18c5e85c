import { ChainRunner, CHAIN_JOB_HANDLER } from "../chains/host/runner.ts";
import { endLinkedInvocations } from "../chains/host/invocation-link.ts";
import { syncSpecs } from "../chains/host/spec-sync.ts";
import type { Engine } from "../engine.ts";
import type { ExecuteOptions } from "../executors/index.ts";
import type { JobHandler } from "../executors/types.ts";
import { withTransaction } from "../transaction.ts";
import { Every } from "./every.ts";
import { untilDatabaseAnswers } from "./failures.ts";

export interface ChainLoopOptions {
  /** Directory of request spec files (*.yaml). */
  specsDir: string;
  /** Specs are re-read, and suspended requests looked after, this often. */
  intervalMs: number;
  /** A request suspended longer than this fails (Spin Cycle's suspended job chain TTL). */
  suspendedTtlMillis: number;
  /** Job types this worker runs besides noop / shell / http: its handlers' names. */
  handlerTypes: string[];
}

/**
 * The chain runner's background work in a worker: spec reload, resuming
 * requests that a stopping worker suspended, failing requests suspended past
 * their TTL. Chain jobs run on the internal chains queue through the handler
 * this class contributes.
 */
export class ChainLoops {
  private readonly passes: Every;

  constructor(private readonly engine: Engine, private readonly o: ChainLoopOptions) {
    this.passes = new Every(engine.ctx, "chain pass");
  }

  handlers(execute: ExecuteOptions): Record<string, JobHandler> {
    const runner = new ChainRunner(this.engine.ctx, execute);
    return { [CHAIN_JOB_HANDLER]: (job, signal) => runner.run(job, signal) };
  }

  /** Creates the chains queue (waiting for the database if it is away), then starts the loop. */
  async start(): Promise<void> {
    const ready = await untilDatabaseAnswers(this.engine.ctx, "chain runner start", () => this.engine.requests.ensureQueue(), () => this.passes.stopped);
    if (!ready) return;
    await this.passes.start(this.o.intervalMs, () => this.passOnce());
  }

  stop(): void {
    this.passes.stop();
  }

  /** One pass: reload specs, resume what a shutdown suspended, fail what stayed suspended too long. */
  async passOnce(): Promise<void> {
    const { ctx, requests } = this.engine;
    await syncSpecs(ctx, this.o.specsDir, this.o.handlerTypes);
    const now = ctx.clock.now();
    await withTransaction(ctx.db.pool, async (sql) => {
      const expired = await sql.query<{ id: string }>(
        `UPDATE request SET state = 'FAIL', finished_at = $1 WHERE state = 'SUSPENDED' AND suspended_at < $2 RETURNING id`,
        [now, new Date(now.getTime() - this.o.suspendedTtlMillis)]);
      await endLinkedInvocations(sql, now, expired.rows.map((r) => r.id));
    });
    const orphans = await ctx.db.sql.query<{ id: string }>(
      `SELECT id FROM request WHERE state = 'SUSPENDED' AND suspend_reason = 'worker-shutdown' ORDER BY suspended_at LIMIT 100`);
    for (const { id } of orphans.rows) {
      await requests.resume({ id: "hourglass-worker" }, id).catch(() => {}); // another worker got there first
    }
  }
}
