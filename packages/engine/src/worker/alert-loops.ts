import type { Engine } from "../engine.ts";
import type { JobHandler } from "../executors/types.ts";
import { DELIVERY_HANDLER } from "../alerts/host/carrier.ts";
import { deliverAttempt } from "../alerts/host/deliver.ts";
import type { SmtpSettings } from "../alerts/host/email.ts";
import { AlertEvaluator } from "../alerts/host/evaluator.ts";
import { runThresholdsOnce } from "../alerts/host/thresholds.ts";
import { workerActor } from "../events/kinds.ts";
import { Every } from "./every.ts";
import { untilDatabaseAnswers } from "./failures.ts";

export interface AlertLoopOptions {
  /** The evaluator follows the event log this often (a pass that finds nothing is one indexed read). */
  intervalMs: number;
  /** Threshold rules (queue backlog, oldest pending) are measured this often. */
  thresholdIntervalMs: number;
  /** The workers' SMTP server and sender, for email rules without a server of their own. */
  smtp: SmtpSettings;
  /** The dashboard's URL, for links in alert mail; null = no links. */
  dashboardUrl: string | null;
}

/**
 * Alerts in a worker process: the evaluator that follows the event log, the
 * threshold pass, and the handler that delivers notifications from the
 * internal alerts queue. Safe with several workers: the evaluator's cursor
 * move is guarded, the threshold state is compare-and-set, and a delivery
 * attempt is recorded once.
 */
export class AlertLoops {
  private readonly passes: Every;
  private readonly evaluator: AlertEvaluator;

  constructor(private readonly engine: Engine, private readonly o: AlertLoopOptions) {
    this.passes = new Every(engine.ctx, "alert pass");
    this.evaluator = new AlertEvaluator(engine.ctx, engine.events);
  }

  /** The delivery handler; register it with the QueueWorker. `workerId` names the worker in delivery events. */
  handlers(workerId: string): Record<string, JobHandler> {
    const options = { smtp: this.o.smtp, dashboardUrl: this.o.dashboardUrl, actor: workerActor(workerId) };
    return { [DELIVERY_HANDLER]: (job, signal) => deliverAttempt(this.engine.ctx, options, job, signal) };
  }

  /** Creates the alerts queue (waiting for the database if it is away), then starts the passes. */
  async start(): Promise<void> {
    const created = await untilDatabaseAnswers(this.engine.ctx, "alerts start", () => this.engine.alerts.ensureQueue(),
      () => this.passes.stopped);
    if (!created) return;
    await this.passes.start(this.o.intervalMs, () => this.evaluator.drain(() => this.passes.stopped));
    await this.passes.start(this.o.thresholdIntervalMs, () => runThresholdsOnce(this.engine.ctx));
  }

  stop(): void {
    this.passes.stop();
  }
}
