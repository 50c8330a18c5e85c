import type { Engine } from "../engine.ts";
import { TaskMaintenance } from "../tasks/host/maintenance.ts";
import { Every } from "./every.ts";
import type { WorkerPart } from "./part.ts";

export interface TaskMaintenanceOptions {
  /** How often lapsed claims, deadlines and GC are looked at (default 1 s). */
  intervalMs?: number;
}

/** The tasks' maintenance as a worker part (createWorker `parts`): every worker may run it; they are safe together. */
export class TaskMaintenanceLoop implements WorkerPart {
  private readonly every: Every;
  private readonly maintenance: TaskMaintenance;

  constructor(engine: Engine, private readonly options: TaskMaintenanceOptions = {}) {
    this.every = new Every(engine.ctx, "task maintenance");
    this.maintenance = new TaskMaintenance(engine.ctx);
  }

  start(): Promise<void> {
    return this.every.start(this.options.intervalMs ?? 1000, () => this.maintenance.runOnce());
  }

  stop(): void {
    this.every.stop();
  }
}
