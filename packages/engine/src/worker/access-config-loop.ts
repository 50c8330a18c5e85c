import type { Engine } from "../engine.ts";
import { syncAccessConfig } from "../access/host/access-config.ts";
import { Every } from "./every.ts";

/**
 * Applies the access config file (roles and bindings, versioned with the
 * deployment like LUCI's realms files) every `intervalMs`. Several workers
 * doing it at once write the same result. A file with errors is logged once
 * per distinct set of errors and changes nothing.
 */
export class AccessConfigLoop {
  private readonly passes: Every;
  private lastErrors = "";

  constructor(private readonly engine: Engine, private readonly o: { file: string; intervalMs: number }) {
    this.passes = new Every(engine.ctx, "access config sync");
  }

  start(): Promise<void> {
    return this.passes.start(this.o.intervalMs, async () => {
      const r = await syncAccessConfig(this.engine.ctx, this.o.file);
      const errors = r.errors.join("\n");
      if (errors && errors !== this.lastErrors) {
        this.engine.ctx.logger.error("access config has errors; keeping the last good one", { errors: r.errors });
      }
      this.lastErrors = errors;
    });
  }

  stop(): void {
    this.passes.stop();
  }
}
