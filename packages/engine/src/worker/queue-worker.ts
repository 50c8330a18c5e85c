import { Backoff } from "@hourglass/db";
import type { Engine } from "../engine.ts";
import { execute, type JobHandler, type JobTools } from "../executors/index.ts";
import { childLogger } from "../logger.ts";
import { formatJobDescriptor } from "../queue/descriptors.ts";
import type { ExecutorQueue } from "../queue/jobs.ts";
import { Acks } from "./acks.ts";
import { keepsAttempt, type Held } from "./held.ts";
import { DueList } from "./due-list.ts";
import { engineQueueSource, type QueueSource } from "./queue-source.ts";
import { JobNotifications } from "./wakeups.ts";

export interface QueueWorkerOptions {
  /** Names this worker in claim descriptors and job history. */
  workerId: string;
  /** Jobs executing at once. */
  concurrency: number;
  /** Extra claimed jobs held ready beyond `concurrency` (graphile-worker's local queue). Leases cover them too. */
  prefetch: number;
  /** How often to look for due jobs without a notification. */
  pollIntervalMs: number;
  /** "listen": LISTEN/NOTIFY wake-ups plus polling; "poll": polling only (the embedded database). */
  wakeups: "listen" | "poll";
  /** Resurrection runs this often; GC every tenth time. */
  maintenanceIntervalMs: number;
  /** On stop, running jobs get this long to finish before they are killed and released. */
  shutdownGraceMs: number;
  /** Environment passed to shell executors (e.g. PATH, HOME). */
  childEnv: Record<string, string>;
  /** Whether this process runs the maintenance loops (every worker may; they are safe together). */
  runMaintenance: boolean;
  /** TypeScript handlers for queues whose executor is { kind: "handler", name }. */
  handlers: Record<string, JobHandler>;
  /**
   * Run only queues bound to one of `handlers` (a program's own worker), not
   * noop / shell / http queues. Default false: every executor queue.
   */
  handlersOnly: boolean;
  /** Run only these queues; null (default): every queue this worker can run. */
  queueNames: string[] | null;
  /**
   * Per queue: claim jobs up to this long before they fall due and hold them
   * until then, so a job that must start on the dot (a tick timer) is not
   * delayed by its claim. Held jobs take capacity and are leased like any claim.
   */
  claimAheadMs: Record<string, number>;
}

export const DEFAULT_WORKER_OPTIONS: Omit<QueueWorkerOptions, "workerId" | "childEnv" | "handlers" | "claimAheadMs"> = {
  handlersOnly: false,
  queueNames: null,
  concurrency: 10,
  prefetch: 0,
  pollIntervalMs: 1000,
  wakeups: "listen",
  maintenanceIntervalMs: 1000,
  shutdownGraceMs: 10_000,
  runMaintenance: true,
};

const QUEUE_REFRESH_MS = 2000;
const MAX_CLAIM = 1000;
/** Jobs started per turn of the event loop. */
const DISPATCH_CHUNK = 500;
/** Due times of announced future jobs a worker remembers. */
const MAX_DUE_TIMES = 64;


/**
 * Claims and runs the jobs of every queue bound to an executor. One fetch
 * loop claims in batches (SKIP LOCKED) up to concurrency + prefetch; results
 * are acked in batches; a lease keeper checkpoints held claims; stop()
 * finishes or releases every claim. A worker killed outright loses nothing:
 * its leases lapse and the resurrector hands the jobs back. It runs on a
 * QueueSource: the engine (the database), or the API (@hourglass/sdk-worker).
 */
export class QueueWorker {
  private readonly o: QueueWorkerOptions;
  private readonly source: QueueSource;
  private queues: ExecutorQueue[] = [];
  private queuesAt = 0;
  private rotation = 0;
  private readonly ready: Held[] = [];
  /** Claimed ahead, not yet due: moved to `ready` as they fall due. */
  private readonly early: DueList<Held>;
  private readonly running = new Map<string, { held: Held; abort: AbortController }>();
  private readonly acks: Acks;
  private readonly interrupted = new Set<string>();
  private stopping = false;
  private wakeFetch: (() => void) | null = null;
  private nudged = false;
  /** The fetch loop is waiting because it had no room, not because the queue was empty. */
  private waitingForRoom = false;
  private loop: Promise<void> | null = null;
  private timers: NodeJS.Timeout[] = [];
  private notifications: JobNotifications | null = null;
  /** When announced jobs can be claimed (due, or due within the claim-ahead): each wakes the fetch loop. */
  private readonly dueWakes: DueList<null>;
  private maintenanceRuns = 0;
  /**
   * Claims that failed with a lost connection: each may have committed with
   * nobody holding its jobs, so they are handed back once the database answers.
   */
  private readonly unanswered: { queueName: string; claimedAt: Date }[] = [];
  private readonly backoff = new Backoff();
  /** Jobs interrupted by stop(), handed back once all have ended. */
  private readonly toRelease: Held[] = [];
  /** Counts for tests and logs. */
  readonly stats = { claimed: 0, succeeded: 0, failed: 0, released: 0, fetchRounds: 0 };

  constructor(
    engineOrSource: Engine | QueueSource,
    options: Partial<QueueWorkerOptions> & Pick<QueueWorkerOptions, "workerId">,
  ) {
    this.source = "ctx" in engineOrSource ? engineQueueSource(engineOrSource) : engineOrSource;
    this.o = { ...DEFAULT_WORKER_OPTIONS, childEnv: {}, handlers: {}, claimAheadMs: {}, ...options };
    this.acks = new Acks(
      (queueName, results) => this.source.complete(queueName, results, this.o.workerId),
      this.source.logger,
      (err) => this.source.connectionLost(err),
    );
    const clock = this.source.clock;
    this.early = new DueList(clock, this.o.pollIntervalMs, (due) => {
      for (const held of due) this.ready.push(held);
      this.dispatch();
    });
    this.dueWakes = new DueList(clock, this.o.pollIntervalMs, () => this.wake(), MAX_DUE_TIMES); // beyond the cap: the poll finds them
  }

  private get log() {
    return this.source.logger;
  }

  /**
   * How a background task reports an error: connection loss is logged once
   * per outage by the source, anything else each time under `what`. Returns
   * whether it was connection loss (wait and try again).
   */
  private reportFailure(what: string, err: unknown): boolean {
    if (this.source.connectionLost(err)) return true;
    this.log.error(what, { error: err instanceof Error ? err.message : String(err) });
    return false;
  }

  async start(): Promise<void> {
    const url = this.source.databaseUrl;
    if (this.o.wakeups === "listen" && url) {
      const outage = { failed: (err: unknown) => this.source.connectionLost(err) };
      this.notifications = new JobNotifications(url, (q, dueAt) => this.onNotification(q, dueAt), this.log, outage);
      await this.notifications.start();
    }
    this.loop = this.fetchLoop();
    this.schedule(() => this.keepLeases(), 1000);
    if (this.o.runMaintenance && this.source.maintenance) this.schedule(() => this.maintain(), this.o.maintenanceIntervalMs);
    this.log.info("worker started", { workerId: this.o.workerId, concurrency: this.o.concurrency, wakeups: this.o.wakeups });
  }

  /** Stops claiming, releases jobs not started, waits for running ones (then kills and releases them), flushes acks. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.wake();
    await this.loop;
    for (const t of this.timers) clearTimeout(t);
    this.dueWakes.stop();
    const deadline = Date.now() + this.o.shutdownGraceMs;
    await this.releaseHeld([...this.ready.splice(0), ...this.early.stop()], deadline);
    while (this.running.size > 0 && Date.now() < deadline) await this.waitForWake(100);
    for (const { held, abort } of this.running.values()) {
      this.interrupted.add(held.id);
      abort.abort();
    }
    while (this.running.size > 0) await this.waitForWake(50);
    // the database may be away: give acks and releases until the grace period ends (at least 2 s), then let leases lapse
    const waitUntil = Math.max(deadline, Date.now() + 2000);
    await this.acks.flush(waitUntil);
    await this.releaseHeld(this.toRelease.splice(0), waitUntil);
    await this.releaseUnanswered().catch((err) => this.reportFailure("releasing lost claims failed", err));
    await this.notifications?.stop();
    this.log.info("worker stopped", { workerId: this.o.workerId, ...this.stats });
  }

  private schedule(task: () => Promise<unknown>, everyMs: number): void {
    const tick = async () => {
      if (this.stopping) return;
      try {
        await task();
      } catch (err) {
        this.reportFailure("background task failed", err);
      }
      if (!this.stopping) this.timers.push(setTimeout(tick, everyMs));
    };
    this.timers.push(setTimeout(tick, everyMs));
  }

  private onNotification(queueName: string, dueAt?: number): void {
    if (!this.queues.some((q) => q.name === queueName)) this.queuesAt = 0; // maybe a queue we have not seen yet
    if (dueAt === undefined) return this.wake();
    const wakeAt = dueAt - (this.o.claimAheadMs[queueName] ?? 0);
    if (!this.dueWakes.has(wakeAt)) this.dueWakes.add([{ at: wakeAt, item: null }]);
  }

  private wake(): void {
    this.nudged = true;
    const w = this.wakeFetch;
    this.wakeFetch = null;
    w?.();
  }

  private waitForWake(ms: number): Promise<void> {
    if (this.nudged) {
      this.nudged = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wakeFetch = null;
        resolve();
      }, ms);
      this.wakeFetch = () => {
        clearTimeout(t);
        this.nudged = false;
        resolve();
      };
    });
  }

  private async refreshQueues(): Promise<void> {
    if (Date.now() - this.queuesAt < QUEUE_REFRESH_MS) return;
    // a handler queue is for workers that registered the handler
    const names = this.o.queueNames && new Set(this.o.queueNames);
    this.queues = (await this.source.executorQueues()).filter((q) =>
      (q.executor.kind === "handler" ? Object.hasOwn(this.o.handlers, q.executor.name) : !this.o.handlersOnly)
      && (!names || names.has(q.name)));
    this.queuesAt = Date.now();
  }

  private room(): number {
    return this.o.concurrency + this.o.prefetch - this.running.size - this.ready.length - this.early.size;
  }

  /**
   * Whether a claim is worth a round trip now: always when nothing is waiting
   * locally, otherwise only once half the capacity is free, so a busy worker
   * claims in large batches instead of one job per freed slot.
   */
  private shouldClaim(): boolean {
    const room = this.room();
    if (room <= 0) return false;
    return this.ready.length === 0 || room * 2 >= this.o.concurrency + this.o.prefetch;
  }

  private async fetchLoop(): Promise<void> {
    while (!this.stopping) {
      let sawFullBatch = false;
      this.stats.fetchRounds++;
      try {
        await this.releaseUnanswered();
        await this.refreshQueues();
        const n = this.queues.length;
        for (let i = 0; i < n && this.shouldClaim() && !this.stopping; i++) {
          const queue = this.queues[(this.rotation + i) % n]!;
          if (await this.claimFrom(queue)) sawFullBatch = true;
        }
        this.rotation++;
        this.backoff.reset();
      } catch (err) {
        const lost = this.reportFailure("claiming failed; retrying", err);
        // while the database is away, retry with backoff (up to 1 s) rather than at the poll interval
        await this.waitForWake(lost ? this.backoff.delay() : this.o.pollIntervalMs);
        continue;
      }
      // A queue gave all we asked for, so more is likely waiting: go again at once.
      // A short batch means its due jobs are drained; wait for a notification.
      if (sawFullBatch && this.shouldClaim()) continue;
      // Full: a finishing job wakes us. Idle: only a notification or the poll interval does.
      this.waitingForRoom = !this.shouldClaim();
      await this.waitForWake(this.o.pollIntervalMs);
      this.waitingForRoom = false;
    }
  }

  /** Claims what fits from one queue; true when it returned a full batch (more may be waiting). */
  private async claimFrom(queue: ExecutorQueue): Promise<boolean> {
    if (queue.dequeueRateLimit === 0) return false; // paused
    let want = Math.min(this.room(), MAX_CLAIM);
    if (queue.dequeueRateLimit !== null) want = await this.source.takeTokens(queue.name, want);
    if (want <= 0) return false;
    const ahead = this.o.claimAheadMs[queue.name] ?? 0;
    const claimedAt = this.source.clock.now();
    let jobs;
    try {
      jobs = await this.source.claim(queue.name, want, this.o.workerId, ahead, claimedAt);
    } catch (err) {
      if (this.source.connectionLost(err) && this.source.releaseUnansweredClaim) {
        this.unanswered.push({ queueName: queue.name, claimedAt });
      }
      throw err;
    }
    const now = claimedAt.getTime();
    const early: { at: number; item: Held }[] = [];
    for (const j of jobs) {
      const held: Held = {
        queueName: queue.name, id: j.id, claimDescriptor: j.claim_descriptor!, body: j.body,
        attempt: j.claim_count, attemptsRemaining: j.attempts_remaining, executor: queue.executor, leasedAt: Date.now(),
      };
      const dueAt = j.run_after.getTime();
      if (dueAt > now) early.push({ at: dueAt, item: held });
      else this.ready.push(held);
    }
    this.stats.claimed += jobs.length;
    this.early.add(early);
    this.dispatch();
    return jobs.length === want;
  }

  /**
   * Starts ready jobs while there is room, DISPATCH_CHUNK per turn of the
   * event loop: when thousands fall due at once (a cron slot), the first
   * ones' database work starts while the rest are still being dispatched.
   */
  private dispatchScheduled = false;
  private dispatch(): void {
    if (this.dispatchScheduled || this.stopping) return;
    const n = Math.min(this.o.concurrency - this.running.size, this.ready.length, DISPATCH_CHUNK);
    if (n <= 0) return;
    for (const held of this.ready.splice(0, n)) this.run(held);
    if (this.ready.length > 0 && this.running.size < this.o.concurrency) {
      this.dispatchScheduled = true;
      setImmediate(() => {
        this.dispatchScheduled = false;
        this.dispatch();
      });
    }
  }

  private run(held: Held): void {
    const abort = new AbortController();
    this.running.set(held.id, { held, abort });
    const startedAt = this.source.clock.now();
    const input = {
      jobDescriptor: formatJobDescriptor(held.queueName, held.id), queueName: held.queueName, body: held.body,
      attempt: held.attempt, attemptsRemaining: held.attemptsRemaining,
    };
    const options = { baseEnv: this.o.childEnv, handlers: this.o.handlers, tools: this.toolsFor(held, input.jobDescriptor) };
    void execute(held.executor, input, abort.signal, options).then((result) => {
      this.running.delete(held.id);
      if (this.interrupted.has(held.id)) {
        this.interrupted.delete(held.id);
        this.toRelease.push(held); // released by stop(), after every running job has ended
      } else {
        result.succeeded ? this.stats.succeeded++ : this.stats.failed++;
        this.acks.add(held.queueName, {
          id: held.id,
          claimDescriptor: held.claimDescriptor,
          succeeded: result.succeeded,
          retryDelayMillis: held.executor.retryDelayMillis,
          appendCustomStatus: "",
          attempt: !keepsAttempt(held.executor, result)
            ? undefined
            : {
                  attempt: held.attempt, startedAt, finishedAt: this.source.clock.now(), succeeded: result.succeeded,
                  exitCode: result.exitCode ?? null, httpStatus: result.httpStatus ?? null,
                  stdout: result.stdout ?? "", stderr: result.stderr ?? "", error: result.error ?? null,
                },
        });
      }
      this.dispatch();
      if (this.waitingForRoom && this.shouldClaim()) this.wake();
      if (this.stopping) this.wake();
    });
  }

  /** A handler's logger and checkpoint for one held job (the checkpoint also counts as its keep-alive). */
  private toolsFor(held: Held, jobDescriptor: string): JobTools | undefined {
    if (held.executor.kind !== "handler") return undefined;
    return {
      logger: childLogger(this.log, { workerId: this.o.workerId, queue: held.queueName, jobDescriptor, attempt: held.attempt }),
      checkpoint: async (change = {}) => {
        const leasedAt = Date.now();
        const checkpoint = { id: held.id, claimDescriptor: held.claimDescriptor, newBody: change.body, customStatus: change.customStatus };
        const kept = await this.source.checkpoint(held.queueName, [checkpoint], this.o.workerId);
        if (kept.has(held.id)) held.leasedAt = leasedAt;
        return kept.has(held.id);
      },
    };
  }

  /** Hands back what claims lost with their connection took, oldest first; throws (to retry later) while the database is away. */
  private async releaseUnanswered(): Promise<void> {
    while (this.unanswered.length > 0) {
      const { queueName, claimedAt } = this.unanswered[0]!;
      const n = await this.source.releaseUnansweredClaim!(queueName, claimedAt, this.o.workerId);
      if (n > 0) this.log.info("released jobs of a claim whose answer was lost with its connection", { queue: queueName, jobs: n });
      this.unanswered.shift();
    }
  }

  /** Hands claims back; while the database is away, retries until `until` (epoch ms), then leaves them to lapse. */
  private async releaseHeld(held: Held[], until = 0): Promise<void> {
    if (held.length === 0) return;
    const backoff = new Backoff();
    for (;;) {
      try {
        this.stats.released += await this.source.release(held, this.o.workerId);
        return;
      } catch (err) {
        const lost = this.reportFailure("releasing claims failed; their leases will lapse instead", err);
        if (!lost || Date.now() >= until) {
          if (lost) this.log.warn("database still away; leaving claims to lapse", { jobs: held.length });
          return;
        }
        await new Promise((r) => setTimeout(r, backoff.delay()));
      }
    }
  }

  /**
   * Checkpoints each held claim once a third of its queue's claim timeout has
   * passed since it was taken or last extended. Fresh claims are left alone:
   * a burst of claims (a cron slot) is not followed by a burst of keep-alives.
   */
  private async keepLeases(): Promise<void> {
    const now = Date.now();
    const byQueue = new Map<string, Held[]>();
    for (const h of [...this.ready, ...this.early.items(), ...[...this.running.values()].map((r) => r.held)]) {
      const timeout = this.queues.find((q) => q.name === h.queueName)?.claimTimeoutMillis ?? 60_000;
      if (now - h.leasedAt < timeout / 3) continue;
      const list = byQueue.get(h.queueName);
      if (list) list.push(h);
      else byQueue.set(h.queueName, [h]);
    }
    for (const [queueName, held] of byQueue) {
      const kept = await this.source.checkpoint(queueName, held, this.o.workerId);
      for (const h of held) if (kept.has(h.id)) h.leasedAt = now;
      const lost = held.filter((h) => !kept.has(h.id));
      if (lost.length) this.log.warn("lost claims (lease lapsed or job deleted); their results will be ignored", { queue: queueName, jobs: lost.length });
    }
  }

  private async maintain(): Promise<void> {
    await this.source.maintenance!.resurrectOnce();
    if (this.maintenanceRuns++ % 10 === 0) await this.source.maintenance!.collectGarbageOnce();
  }
}
