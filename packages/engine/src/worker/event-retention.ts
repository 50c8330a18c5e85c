import type { Engine } from "../engine.ts";
import { DEFAULT_RETENTION_DAYS } from "../events/log.ts";
import type { WorkerPart } from "./part.ts";
import { Every } from "./every.ts";

export interface EventRetentionOptions {
  /** Days an event is kept in projects that do not say otherwise (default 30). */
  defaultDays?: number;
  /** How often a pass runs (each deletes at most a few bounded batches). */
  intervalMs: number;
}

/**
 * Deletes events past their project's retention: a project's `event_retention`
 * (its scheduler project file), else `defaultDays`. Safe with several
 * workers: each batch deletes rows by key, and a row two workers both picked
 * is deleted once.
 */
export class EventRetention implements WorkerPart {
  private readonly passes: Every;

  constructor(private readonly engine: Engine, private readonly o: EventRetentionOptions) {
    this.passes = new Every(engine.ctx, "event retention");
  }

  start(): Promise<void> {
    return this.passes.start(this.o.intervalMs, () => this.passOnce());
  }

  stop(): void {
    this.passes.stop();
  }

  /** One pass; returns how many events it deleted. */
  async passOnce(): Promise<number> {
    const projects = await this.engine.events.retentionByProject();
    const deleted = await this.engine.events.prune(projects, this.o.defaultDays ?? DEFAULT_RETENTION_DAYS);
    if (deleted > 0) this.engine.ctx.logger.info("deleted events past retention", { deleted });
    return deleted;
  }
}
