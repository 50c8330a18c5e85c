import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * Every metric Hourglass exports, one doc line each (it is the HELP text
 * Prometheus shows). Counters count what this process did since it started,
 * so `rate()` gives a per-second figure and `sum()` over processes the
 * fleet's; the `hourglass_queue_jobs` and `hourglass_scheduler_triage_*`
 * gauges are read from the database at scrape time (see database.ts), the
 * same from every process.
 *
 * Each engine holds one Metrics (`engine.ctx.metrics`), with its own
 * registry: never prom-client's global one, so tests and several engines in
 * one process do not share series.
 */
export const METRIC_DOC = {
  hourglass_queue_jobs: "Jobs in each queue by state, read from the database at scrape time (capped per series, see README).",
  hourglass_queue_claims_total: "Jobs claimed (worker claims and API dequeues) by this process, by queue.",
  hourglass_queue_acks_total:
    "Acks applied by this process, by queue and outcome: succeeded, retried (failed, back to PENDING), failed (final), stale (its claim was gone).",
  hourglass_queue_lease_expiries_total:
    "Claims whose lease lapsed, handed back by this process's resurrector, by queue and outcome: retried (back to PENDING) or failed (no attempt left).",
  hourglass_invocations_finished_total: "Scheduler invocations this process moved to a final state, by state (SUCCEEDED, FAILED, ABORTED).",
  hourglass_scheduler_tick_lag_seconds: "From a cron slot's time to its invocation being RUNNING, per slot.",
  hourglass_scheduler_triage_backlog: "Scheduler jobs waiting for a triage, read from the database at scrape time.",
  hourglass_scheduler_triage_oldest_seconds: "How long the oldest triage request has waited (0 when none waits), read at scrape time.",
  hourglass_event_stream_subscribers: "Open event-stream subscriptions (live pages and the public stream) served by this process.",
  hourglass_event_stream_lag_seconds: "From an event's commit to its delivery to a subscriber of this process.",
  hourglass_alert_deliveries_total: "Alert notifications this process tried to deliver, by outcome (e.g. delivered, failed, retried).",
  hourglass_metrics_database_up: "1 when this scrape's database reads answered, 0 when they failed (the database gauges then keep their last values).",
} as const;

export type MetricName = keyof typeof METRIC_DOC;

/** Buckets for lags that are usually well under a second but must show minutes when workers are missing. */
const LAG_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

export interface MetricsOptions {
  /** Also collect Node's process metrics (CPU, memory, event-loop lag, GC, handles): the apps do, tests need not. */
  processMetrics?: boolean;
  /** Labels on every series of this registry, e.g. { process: "worker" }. */
  defaultLabels?: Record<string, string>;
}

export class Metrics {
  /** The registry to serve: `await metrics.registry.metrics()` is the text exposition. */
  readonly registry = new Registry();

  readonly queueJobs = this.gauge("hourglass_queue_jobs", ["queue", "state"]);
  readonly claims = this.counter("hourglass_queue_claims_total", ["queue"]);
  readonly acks = this.counter("hourglass_queue_acks_total", ["queue", "outcome"]);
  readonly leaseExpiries = this.counter("hourglass_queue_lease_expiries_total", ["queue", "outcome"]);
  readonly invocationsFinished = this.counter("hourglass_invocations_finished_total", ["state"]);
  readonly tickLag = new Histogram({ name: "hourglass_scheduler_tick_lag_seconds", help: METRIC_DOC.hourglass_scheduler_tick_lag_seconds,
    buckets: LAG_BUCKETS, registers: [this.registry] });
  readonly triageBacklog = this.gauge("hourglass_scheduler_triage_backlog", []);
  readonly triageOldest = this.gauge("hourglass_scheduler_triage_oldest_seconds", []);
  /** The event stream sets this as subscriptions open and close: `metrics.eventSubscribers.set(n)` (or inc / dec). */
  readonly eventSubscribers = this.gauge("hourglass_event_stream_subscribers", []);
  /** The event stream observes each delivery: `metrics.eventStreamLag.observe(seconds)`. */
  readonly eventStreamLag = new Histogram({ name: "hourglass_event_stream_lag_seconds", help: METRIC_DOC.hourglass_event_stream_lag_seconds,
    buckets: LAG_BUCKETS, registers: [this.registry] });
  /** Alerts count each delivery attempt: `metrics.alertDeliveries.inc({ outcome: "delivered" })`. */
  readonly alertDeliveries = this.counter("hourglass_alert_deliveries_total", ["outcome"]);
  readonly databaseUp = this.gauge("hourglass_metrics_database_up", []);

  constructor(options: MetricsOptions = {}) {
    if (options.defaultLabels) this.registry.setDefaultLabels(options.defaultLabels);
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** The Prometheus text exposition of every metric of this registry (collecting the database gauges first). */
  async text(): Promise<string> {
    await this.beforeScrape?.();
    return this.registry.metrics();
  }

  /** Content-Type of `text()`. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * Run before each scrape (set once, by createEngine: it reads the database
   * gauges). A hook rather than prom-client's per-metric `collect`, so one
   * scrape reads the database once for every gauge it fills.
   */
  beforeScrape: (() => Promise<void>) | null = null;

  private counter<L extends string>(name: MetricName, labelNames: L[]): Counter<L> {
    return new Counter({ name, help: METRIC_DOC[name], labelNames, registers: [this.registry] });
  }

  private gauge<L extends string>(name: MetricName, labelNames: L[]): Gauge<L> {
    return new Gauge({ name, help: METRIC_DOC[name], labelNames, registers: [this.registry] });
  }
}

/** A fresh set of Hourglass metrics on a registry of its own. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  return new Metrics(options);
}
