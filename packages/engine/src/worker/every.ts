import type { EngineContext } from "../context.ts";
import { reportFailure } from "./failures.ts";

/**
 * Background passes of a worker: each task runs at once, then again `ms`
 * after its run ends, until stop(). A failing run is reported (connection
 * loss once per outage, see reportFailure) and the next run goes ahead.
 */
export class Every {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stoppedFlag = false;

  constructor(private readonly ctx: EngineContext, private readonly what: string) {}

  get stopped(): boolean {
    return this.stoppedFlag;
  }

  /** Runs `task` now (resolving after this first run) and every `ms` after. */
  async start(ms: number, task: () => Promise<unknown>): Promise<void> {
    const run = async () => {
      if (this.stoppedFlag) return;
      try {
        await task();
      } catch (err) {
        reportFailure(this.ctx, `${this.what} failed`, err);
      }
      if (this.stoppedFlag) return;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void run();
      }, ms);
      this.timers.add(timer);
    };
    await run();
  }

  stop(): void {
    this.stoppedFlag = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
