import type { Engine } from "../engine.ts";
import { syncAccessConfig } from "../access/host/access-config.ts";
import { reportFailure } from "./failures.ts";

/**
 * Applies the access config file (roles and bindings, versioned with the
 * deployment like LUCI's realms files) every `intervalMs`. Several workers
 * doing it at once write the same result. A file with errors is logged once
 * per distinct set of errors and changes nothing.
 */
export class AccessConfigLoop {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private lastErrors = "";

  constructor(private readonly engine: Engine, private readonly o: { file: string; intervalMs: number }) {}

  async start(): Promise<void> {
    const run = async () => {
      if (this.stopped) return;
      try {
        const r = await syncAccessConfig(this.engine.ctx, this.o.file);
        const errors = r.errors.join("\n");
        if (errors && errors !== this.lastErrors) {
          this.engine.ctx.logger.error("access config has errors; keeping the last good one", { errors: r.errors });
        }
        this.lastErrors = errors;
      } catch (err) {
        reportFailure(this.engine.ctx, "access config sync failed", err);
      }
      if (!this.stopped) this.timer = setTimeout(run, this.o.intervalMs);
    };
    await run();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
