import type { EngineContext } from "../context.ts";
import { withTransaction } from "../transaction.ts";
import type { Metrics } from "./metrics.ts";
import { countJobsByQueueAndState } from "./sql/countJobsByQueueAndState.ts";
import { triageBacklog } from "./sql/triageBacklog.ts";

/** Each (queue, state) series counts at most this many jobs (the API's getJobCount cap). */
export const GAUGE_COUNT_CAP = 100_000;
/** At most this many queues (by name) get series. */
export const GAUGE_MAX_QUEUES = 1000;
/** The database reads of one scrape give up after this long (the gauges are then absent, `database_up` 0). */
export const GAUGE_TIMEOUT_MS = 5000;
/** Scrapes closer together than this share one read (several Prometheus servers, or a burst of curls). */
export const GAUGE_MAX_AGE_MS = 1000;

/**
 * Fills the database gauges before each scrape: the jobs of each queue by
 * state, and the triage backlog. Both statements are bounded (see their
 * files) and run in one read-only transaction under a statement timeout;
 * concurrent scrapes share one read, and a read younger than
 * GAUGE_MAX_AGE_MS is reused. A failed read (the database away, the timeout)
 * does not fail the scrape: the process's own counters are still worth
 * having, so the gauges keep their last values and
 * `hourglass_metrics_database_up` says 0 (they are stale). The failure is
 * logged once, not once per scrape.
 */
export function readDatabaseGauges(ctx: EngineContext, metrics: Metrics): () => Promise<void> {
  let inFlight: Promise<void> | null = null;
  let readAt = -Infinity;
  let failing = false;
  const read = async () => {
    try {
      const { jobs, triage } = await withTransaction(ctx.db.pool, async (sql) => {
        await sql.query(`SET TRANSACTION READ ONLY`);
        await sql.query(`SET LOCAL statement_timeout = ${GAUGE_TIMEOUT_MS}`);
        return { jobs: await countJobsByQueueAndState(sql, GAUGE_COUNT_CAP, GAUGE_MAX_QUEUES), triage: await triageBacklog(sql, GAUGE_COUNT_CAP) };
      });
      const now = ctx.clock.now().getTime();
      metrics.queueJobs.reset(); // a deleted queue's series go
      for (const r of jobs) metrics.queueJobs.set({ queue: r.queue, state: r.state }, r.n);
      metrics.triageBacklog.set(triage.waiting);
      metrics.triageOldest.set(triage.oldest ? Math.max(0, (now - triage.oldest.getTime()) / 1000) : 0);
      metrics.databaseUp.set(1);
      failing = false;
    } catch (err) {
      if (!ctx.db.outage.failed(err) && !failing) {
        ctx.logger.warn("metrics: database gauges not read; serving their last values", { error: (err as Error).message });
      }
      failing = true;
      metrics.databaseUp.set(0);
    }
  };
  return () => {
    if (inFlight) return inFlight;
    if (performance.now() - readAt < GAUGE_MAX_AGE_MS) return Promise.resolve();
    inFlight = read().finally(() => {
      readAt = performance.now();
      inFlight = null;
    });
    return inFlight;
  };
}
