import type { Database } from "@hourglass/db";
import type { Clock } from "./clock.ts";
import type { Logger } from "./logger.ts";
import type { Metrics } from "./metrics/metrics.ts";

/** What every engine module is built from; the apps assemble it. */
export interface EngineContext {
  db: Database;
  clock: Clock;
  logger: Logger;
  /** Counters and histograms the engine's paths update; the apps serve them at /metrics. */
  metrics: Metrics;
}

/**
 * Who is calling. Every public engine call takes one and goes through
 * `authorize` (all allowed until access control lands); it is also recorded
 * as "by" in job history.
 */
export interface Caller {
  id: string;
}
