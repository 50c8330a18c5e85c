import type { Engine } from "../engine.ts";
import { workerActor } from "../events/kinds.ts";
import type { ExecuteOptions } from "../executors/index.ts";
import type { JobHandler } from "../executors/types.ts";
import { Every } from "./every.ts";
import { untilDatabaseAnswers } from "./failures.ts";
import { syncCatalog } from "../scheduler/host/catalog-sync.ts";
import { InvocationRunner } from "../scheduler/host/invocations.ts";
import { runTicksOnce, TICK_BATCH } from "../scheduler/host/ticks.ts";
import { INVOCATION_HANDLER, INVOCATIONS_QUEUE, runTriageOnce } from "../scheduler/host/triage.ts";

/** How long before its slot a worker claims a tick timer (a slot of 10,000 timers takes well under a second to claim). */
const TIMER_CLAIM_AHEAD_MS = 2000;

export interface SchedulerLoopOptions {
  /** Directory of <project>.yaml files. */
  projectsDir: string;
  /** Ticks and triage run this often (they are cheap when idle). */
  intervalMs: number;
  /** The catalog is re-read this often. */
  catalogIntervalMs: number;
  /** The worker's name: invocation transitions it makes are recorded as "worker:<name>" (absent: "system:scheduler"). */
  workerId?: string;
}

/**
 * The scheduler's background services in a worker process: catalog reload,
 * ticks, triage. Invocations run on the internal invocations queue through
 * the handler this class contributes. Safe with several workers: every pass
 * locks the rows it works on (SKIP LOCKED).
 */
export class SchedulerLoops {
  private readonly passes: Every;

  /**
   * For the QueueWorker's `claimAheadMs`: tick timers are claimed this long
   * before their slot and fire on the dot, the claim's cost paid before it.
   */
  readonly claimAheadMs: Record<string, number> = { [INVOCATIONS_QUEUE]: TIMER_CLAIM_AHEAD_MS };

  constructor(private readonly engine: Engine, private readonly o: SchedulerLoopOptions) {
    this.passes = new Every(engine.ctx, "scheduler pass");
  }

  /** The handler that runs invocations; register it with the QueueWorker. */
  handlers(execute: ExecuteOptions): Record<string, JobHandler> {
    const runner = new InvocationRunner(this.engine.ctx, execute, {
      requests: this.engine.scheduler.hooks.requests,
      actor: this.o.workerId ? workerActor(this.o.workerId) : undefined,
    });
    return { [INVOCATION_HANDLER]: (job, signal) => runner.run(job, signal) };
  }

  /** Creates the invocations queue (waiting for the database if it is away), then starts the loops. */
  async start(): Promise<void> {
    const created = await untilDatabaseAnswers(this.engine.ctx, "scheduler start", () => this.engine.internal.queues.createQueue({ id: "scheduler" }, {
      name: INVOCATIONS_QUEUE, claimTimeoutMillis: 60_000,
      executor: { kind: "handler", name: INVOCATION_HANDLER, retryDelayMillis: 1000 },
    }), () => this.passes.stopped);
    if (!created) return;
    await this.passes.start(this.o.catalogIntervalMs, () => syncCatalog(this.engine.ctx, this.o.projectsDir));
    // Separate loops, each draining its backlog: a steady trickle of triage
    // (finished invocations) must not hold back a minute's worth of ticks.
    await this.passes.start(this.o.intervalMs, async () => {
      while ((await runTicksOnce(this.engine.ctx)).due === TICK_BATCH && !this.passes.stopped);
    });
    await this.passes.start(this.o.intervalMs, async () => {
      while ((await runTriageOnce(this.engine.ctx)) > 0 && !this.passes.stopped);
    });
  }

  stop(): void {
    this.passes.stop();
  }
}
