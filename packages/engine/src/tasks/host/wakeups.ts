import type { EngineContext } from "../../context.ts";
import { EventNotifications } from "../../events/listener.ts";
import { TASKS_CHANNEL } from "../sql/common.ts";

/**
 * Wakes claimWork calls waiting on a task queue when runs become pending
 * there: one dedicated connection LISTENs on `hourglass_tasks` (payload: the
 * task queue id) while anyone waits, and is closed `idleMs` after the last
 * waiter left (so a claimWork that listens, claims, then waits misses nothing
 * in between). On the embedded database, where notifications never reach another
 * connection, waiters look again every `pollMs` instead. A wake-up is a
 * hint: the waiter claims again and may find nothing (another worker won).
 */
export class TaskWakeups {
  private readonly waiters = new Map<string, Set<() => void>>();
  private listener: EventNotifications | null = null;
  private idle: NodeJS.Timeout | null = null;

  constructor(
    private readonly ctx: EngineContext,
    private readonly mode: "listen" | "poll",
    private readonly pollMs = 250,
    private readonly idleMs = 10_000,
  ) {}

  /** The LISTEN is in place (a no-op when polling): what is notified from now on wakes a waiter. */
  async ready(): Promise<void> {
    this.keep();
    if (this.mode === "listen") await this.listen();
    if (this.waiters.size === 0) this.closeWhenIdle(); // the caller may not wait after all
  }

  /** Resolves when task queue `taskQueueId` may have work, or after `ms`, or when `signal` aborts. */
  async wait(taskQueueId: string, ms: number, signal?: AbortSignal): Promise<void> {
    await this.ready();
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (poll) clearInterval(poll);
        signal?.removeEventListener("abort", done);
        const set = this.waiters.get(taskQueueId);
        set?.delete(done);
        if (set?.size === 0) this.waiters.delete(taskQueueId);
        if (this.waiters.size === 0) this.closeWhenIdle();
        resolve();
      };
      const timer = setTimeout(done, ms);
      const poll = this.mode === "poll" ? setInterval(done, this.pollMs) : null;
      signal?.addEventListener("abort", done);
      if (!this.waiters.has(taskQueueId)) this.waiters.set(taskQueueId, new Set());
      this.waiters.get(taskQueueId)!.add(done);
    });
  }

  private keep(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
  }

  private closeWhenIdle(): void {
    this.keep();
    this.idle = setTimeout(() => {
      this.idle = null;
      if (this.waiters.size === 0) void this.unlisten();
    }, this.idleMs);
    this.idle.unref();
  }

  private async listen(): Promise<void> {
    this.listener ??= new EventNotifications(this.ctx.db.url, (payload) => this.wake(payload), () => this.wakeAll(),
      this.ctx.logger, this.ctx.db.outage, TASKS_CHANNEL);
    await this.listener.start();
  }

  private async unlisten(): Promise<void> {
    const l = this.listener;
    this.listener = null;
    await l?.stop();
  }

  private wake(taskQueueId: string | undefined): void {
    if (taskQueueId === undefined) return this.wakeAll();
    for (const w of [...(this.waiters.get(taskQueueId) ?? [])]) w();
  }

  /** After (re)connecting, notifications may have been missed: every waiter looks again. */
  private wakeAll(): void {
    for (const set of [...this.waiters.values()]) for (const w of [...set]) w();
  }

  async stop(): Promise<void> {
    this.keep();
    this.wakeAll();
    await this.unlisten();
  }
}
