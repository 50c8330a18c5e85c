// The worker process (started by main.ts): claims and runs the jobs of
// executor-bound queues and runs the queue's maintenance (resurrection, GC).
// SIGTERM / SIGINT stop it gracefully: running jobs finish (or are released
// after the grace period).
import { createDatabase } from "@hourglass/db";
import { createEngine } from "@hourglass/engine";
import { createMetrics } from "@hourglass/engine/metrics";
import { logFormat, pinoLogger } from "@hourglass/engine/pino-logger";
import { join } from "node:path";
import { createWorker, TaskMaintenanceLoop } from "@hourglass/engine/worker";
import { toJobHandlers } from "@hourglass/sdk-worker/engine";
import { childEnv, readEnv } from "./env.ts";
import { handlers } from "./handlers.ts";
import { serveHealth } from "./health-server.ts";

const env = readEnv(process.env);
// JSON lines (readable ones on a terminal); the engine's messages carry entity ids as fields
const logger = pinoLogger({ name: "worker", level: env.HOURGLASS_LOG_LEVEL, format: logFormat(env.HOURGLASS_LOG_FORMAT, process.stdout.isTTY === true) });
const embedded = env.HOURGLASS_EMBEDDED_DB === "1";
const db = createDatabase(env.DATABASE_URL, {
  poolMax: env.HOURGLASS_DB_POOL_MAX,
  applicationName: env.HOURGLASS_WORKER_ID,
  preparedStatements: !embedded,
  outageLog: (level, message, fields) => logger[level](message, fields),
});
// this worker's counters, the database gauges and Node's process metrics, served at the health port's /metrics
const metrics = createMetrics({ processMetrics: true });
const engine = createEngine({ db, logger, metrics });
const worker = createWorker(engine, {
  workerId: env.HOURGLASS_WORKER_ID,
  concurrency: env.HOURGLASS_WORKER_CONCURRENCY,
  prefetch: env.HOURGLASS_WORKER_PREFETCH,
  pollIntervalMs: env.HOURGLASS_POLL_INTERVAL_MS,
  wakeups: env.HOURGLASS_WAKEUPS ?? (embedded ? "poll" : "listen"),
  maintenanceIntervalMs: env.HOURGLASS_MAINTENANCE_INTERVAL_MS,
  shutdownGraceMs: env.HOURGLASS_SHUTDOWN_GRACE_MS,
  childEnv: childEnv(process.env),
  // the SDK's handlers on the same runtime a program's own @hourglass/sdk-worker runs them on
  handlers: toJobHandlers(handlers, logger),
  scheduler: {
    projectsDir: env.HOURGLASS_PROJECTS_DIR ?? join(import.meta.dirname, "..", "..", "..", "config", "projects"),
    intervalMs: env.HOURGLASS_SCHEDULER_INTERVAL_MS,
    catalogIntervalMs: 2000,
  },
  chains: {
    specsDir: env.HOURGLASS_SPECS_DIR ?? join(import.meta.dirname, "..", "..", "..", "config", "specs"),
    intervalMs: 2000,
    suspendedTtlMillis: env.HOURGLASS_SUSPENDED_TTL_MS,
  },
  accessConfig: {
    file: env.HOURGLASS_ACCESS_FILE ?? join(import.meta.dirname, "..", "..", "..", "config", "access.yaml"),
    intervalMs: 2000,
  },
  eventRetention: { defaultDays: env.HOURGLASS_EVENT_RETENTION_DAYS, intervalMs: 60_000 },
  alerts: {
    intervalMs: env.HOURGLASS_ALERTS_INTERVAL_MS,
    thresholdIntervalMs: 15_000,
    smtp: { url: env.HOURGLASS_SMTP_URL ?? null, from: env.HOURGLASS_ALERT_FROM },
    dashboardUrl: env.HOURGLASS_PUBLIC_URL ?? null,
  },
  // Taskcluster's queue: lapsed claims, deadlines, dependents, GC (packages/engine/src/tasks/host/maintenance.ts)
  parts: [new TaskMaintenanceLoop(engine, { intervalMs: env.HOURGLASS_MAINTENANCE_INTERVAL_MS })],
});

// Signals are heard from the first moment: a stop during start-up waits for the step in flight, skips
// the rest and exits 0, and nothing is started after it.
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info(`received ${signal}; finishing running jobs`);
  await worker.stop();
  await db.close();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

// pg clients emit 'error' when the server goes away; Hourglass listens where it holds them, and this is the
// net for one it does not (a library's): losing the database must never end the process.
process.on("uncaughtException", (err) => {
  if (db.outage.failed(err)) return;
  logger.error("uncaught exception; exiting", { error: err.stack ?? err.message });
  process.exit(1);
});

async function start(): Promise<void> {
  if (env.HOURGLASS_WORKER_HEALTH_PORT) {
    serveHealth({
      port: env.HOURGLASS_WORKER_HEALTH_PORT, engine, workerId: env.HOURGLASS_WORKER_ID, stopping: () => stopping,
      metricsToken: env.HOURGLASS_METRICS_TOKEN, logger,
    });
  }
  await worker.start();
  if (stopping) return;
  // Tests and the start script wait for this line.
  logger.info("hourglass worker ready", { workerId: env.HOURGLASS_WORKER_ID });
}
const started = start();
// a signal main.ts heard while this module was loading
const early = (globalThis as { hourglassEarlySignal?: string }).hourglassEarlySignal;
if (early) void shutdown(early);
await started;
