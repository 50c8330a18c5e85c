import { tellEnded } from "../chains/hooks.ts";
import { ChainRunner, CHAIN_JOB_HANDLER } from "../chains/host/runner.ts";
import { syncSpecs } from "../chains/host/spec-sync.ts";
import { expireSuspendedRequests } from "../chains/sql/expireSuspendedRequests.ts";
import type { Engine } from "../engine.ts";
import { systemActor, workerActor } from "../events/kinds.ts";
import type { ExecuteOptions } from "../executors/index.ts";
import type { JobHandler } from "../executors/types.ts";
import { withTransaction } from "../transaction.ts";
import { Every } from "./every.ts";
import { untilDatabaseAnswers } from "./failures.ts";

/** Requests failed for staying suspended too long, per pass (the rest wait for the next pass). */
const EXPIRE_BATCH = 1000;

export interface ChainLoopOptions {
  /** Directory of request spec files (*.yaml). */
  specsDir: string;
  /** Specs are re-read, and suspended requests looked after, this often. */
  intervalMs: number;
  /** A request suspended longer than this fails (Spin Cycle's suspended job chain TTL). */
  suspendedTtlMillis: number;
  /** Job types this worker runs besides noop / shell / http: its handlers' names. */
  handlerTypes: string[];
  /** The worker's name: chain-job tries it runs are recorded as "worker:<name>" (absent: "system:chains"). */
  workerId?: string;
}

/**
 * The chain runner's background work in a worker: spec reload, resuming
 * requests that a stopping worker suspended, failing requests suspended past
 * their TTL. Chain jobs run on the internal chains queue through the handler
 * this class contributes.
 */
export class ChainLoops {
  private readonly passes: Every;
  /** Who this worker's chain writes are recorded as. */
  private readonly actor: string;

  constructor(private readonly engine: Engine, private readonly o: ChainLoopOptions) {
    this.passes = new Every(engine.ctx, "chain pass");
    this.actor = o.workerId ? workerActor(o.workerId) : systemActor("chains");
  }

  handlers(execute: ExecuteOptions): Record<string, JobHandler> {
    const runner = new ChainRunner(this.engine.ctx, execute, { hooks: this.engine.requests.hooks, actor: this.actor });
    return { [CHAIN_JOB_HANDLER]: (job, signal) => runner.run(job, signal) };
  }

  /** Creates the chains queue (waiting for the database if it is away), then starts the loop. */
  async start(): Promise<void> {
    const ready = await untilDatabaseAnswers(this.engine.ctx, "chain runner start",
      () => this.engine.requests.ensureQueue(), () => this.passes.stopped);
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
    const ttl = this.o.suspendedTtlMillis;
    await withTransaction(ctx.db.pool, async (sql) => {
      const expired = await expireSuspendedRequests(sql, now, new Date(now.getTime() - ttl), EXPIRE_BATCH,
        systemActor("chains"), `suspended for longer than ${ttl} ms`);
      const ended = expired.map((e) => ({ requestId: e.id, invocationId: e.invocationId, state: "FAIL" as const }));
      await tellEnded(requests.hooks, sql, now, ended);
    });
    const orphans = await ctx.db.sql.query<{ id: string }>(
      `SELECT id FROM request WHERE state = 'SUSPENDED' AND suspend_reason = 'worker-shutdown'
        ORDER BY suspended_at LIMIT 100`);
    for (const { id } of orphans.rows) {
      // another worker may get there first: its resume wins, this one is a CONFLICT
      await requests.resume({ id: this.actor }, id, "resumed after its worker shut down").catch(() => {});
    }
  }
}
