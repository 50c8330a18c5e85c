import type { Engine } from "../engine.ts";
import type { JobHandler } from "../executors/types.ts";
import { AccessConfigLoop } from "./access-config-loop.ts";
import { AlertLoops, type AlertLoopOptions } from "./alert-loops.ts";
import { ChainLoops, type ChainLoopOptions } from "./chain-loops.ts";
import { EventRetention, type EventRetentionOptions } from "./event-retention.ts";
import { DEFAULT_WORKER_OPTIONS, QueueWorker, type QueueWorkerOptions } from "./queue-worker.ts";
import { SchedulerLoops, type SchedulerLoopOptions } from "./scheduler-loops.ts";
import type { WorkerPart } from "./part.ts";

// in a module of its own, so parts can name it without importing this file (no import cycle)
export type { WorkerPart } from "./part.ts";

export interface CreateWorkerOptions extends Partial<Omit<QueueWorkerOptions, "handlers" | "claimAheadMs" | "workerId">> {
  workerId: string;
  /** TypeScript handlers for handler-executor queues (and chain job types of the same names). */
  handlers?: Record<string, JobHandler>;
  /** Run the scheduler (catalog, ticks, triage, invocations); absent = not in this worker. */
  scheduler?: SchedulerLoopOptions;
  /** Run chains (spec reload, chain jobs, suspended requests); `handlerTypes` defaults to the handlers' names. */
  chains?: Omit<ChainLoopOptions, "handlerTypes"> & { handlerTypes?: string[] };
  /** Sync the access config file. */
  accessConfig?: { file: string; intervalMs: number };
  /** Delete events past their project's retention (every worker may; they are safe together). */
  eventRetention?: EventRetentionOptions;
  /** Evaluate alert rules and deliver their notifications (every worker may; they are safe together). */
  alerts?: AlertLoopOptions;
  /** More parts, started after the built-in loops and before the queue runtime, stopped first. */
  parts?: WorkerPart[];
  /** Per-queue claim-ahead on top of the scheduler's own. */
  claimAheadMs?: Record<string, number>;
}

/**
 * One Hourglass worker: the queue runtime (claim, lease, batch acks) with the
 * scheduler's and chains' handlers and loops, assembled in one place for the
 * app, the tests and the benchmarks. start() brings the loops up before the
 * queue runtime (so the internal queues exist when it looks for them);
 * stop() stops the loops, then finishes or releases every claim.
 */
export class HourglassWorker {
  readonly queue: QueueWorker;
  readonly scheduler: SchedulerLoops | null;
  readonly chains: ChainLoops | null;
  readonly accessConfig: AccessConfigLoop | null;
  private readonly parts: WorkerPart[];
  private stopping = false;
  private starting: Promise<void> = Promise.resolve();

  constructor(engine: Engine, o: CreateWorkerOptions) {
    const handlers = o.handlers ?? {};
    const childEnv = o.childEnv ?? {};
    const execute = { baseEnv: childEnv, handlers };
    this.scheduler = o.scheduler ? new SchedulerLoops(engine, { ...o.scheduler, workerId: o.workerId }) : null;
    this.chains = o.chains
      ? new ChainLoops(engine, {
        ...o.chains, handlerTypes: o.chains.handlerTypes ?? Object.keys(handlers), workerId: o.workerId,
      })
      : null;
    this.accessConfig = o.accessConfig ? new AccessConfigLoop(engine, o.accessConfig) : null;
    const alerts = o.alerts ? new AlertLoops(engine, o.alerts) : null;
    this.parts = [
      ...(o.eventRetention ? [new EventRetention(engine, o.eventRetention)] : []), ...(alerts ? [alerts] : []), ...(o.parts ?? []),
    ];
    const { scheduler: _s, chains: _c, accessConfig: _a, parts: _p, eventRetention: _e, alerts: _al, ...queueOptions } = o;
    this.queue = new QueueWorker(engine, {
      ...DEFAULT_WORKER_OPTIONS,
      ...queueOptions,
      childEnv,
      handlers: {
        ...handlers,
        ...this.scheduler?.handlers(execute),
        ...this.chains?.handlers(execute),
        ...alerts?.handlers(o.workerId),
      },
      claimAheadMs: { ...this.scheduler?.claimAheadMs, ...o.claimAheadMs },
    });
  }

  /** Starts every part in order; a stop() during start-up waits for the step in flight and skips the rest. */
  start(): Promise<void> {
    this.starting = this.startParts();
    return this.starting;
  }

  private async startParts(): Promise<void> {
    const steps: (() => Promise<void>)[] = [
      ...(this.scheduler ? [() => this.scheduler!.start()] : []),
      ...(this.chains ? [() => this.chains!.start()] : []),
      ...(this.accessConfig ? [() => this.accessConfig!.start()] : []),
      ...this.parts.map((p) => () => p.start()),
      () => this.queue.start(),
    ];
    for (const step of steps) {
      if (this.stopping) return;
      await step();
    }
  }

  /** Stops the loops at once, then the queue runtime (running jobs finish within the grace period). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.scheduler?.stop();
    this.chains?.stop();
    this.accessConfig?.stop();
    for (const p of this.parts) p.stop();
    await this.starting.catch(() => {});
    for (const p of this.parts) p.stop(); // one that started while we waited
    this.scheduler?.stop();
    this.chains?.stop();
    this.accessConfig?.stop();
    await this.queue.stop();
  }
}

export function createWorker(engine: Engine, options: CreateWorkerOptions): HourglassWorker {
  return new HourglassWorker(engine, options);
}
