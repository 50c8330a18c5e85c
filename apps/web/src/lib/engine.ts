// The web app's composition root: one engine per server process, built from
// validated environment. Only server code imports this module.
import { createDatabase } from "@hourglass/db";
import { createEngine, type Engine } from "@hourglass/engine";
import { DEFAULT_MAX_REQUEST_BYTES, type ApiOptions, type EventStreamOptions } from "@hourglass/engine/api";
import { createMetrics } from "@hourglass/engine/metrics";
import { z } from "zod";
import { webLogger } from "./logger";
import { requestPolicy } from "./request-policy";

const envSchema = z.object({
  DATABASE_URL: z.string().min(1, "DATABASE_URL is required"),
  HOURGLASS_DB_POOL_MAX: z.coerce.number().int().min(1).default(10),
  /** Set by `npm start` for the embedded database, which cannot share prepared statement names between connections. */
  HOURGLASS_EMBEDDED_DB: z.enum(["0", "1"]).default("0"),
  /** Largest API request body in bytes; larger ones get 413. */
  HOURGLASS_API_MAX_REQUEST_BYTES: z.coerce.number().int().min(1024).default(DEFAULT_MAX_REQUEST_BYTES),
  /** When set, GET /metrics wants `Authorization: Bearer <it>`; unset = open. */
  HOURGLASS_METRICS_TOKEN: z.string().min(1).optional(),
});

const globalForEngine = globalThis as unknown as {
  hourglassEngine?: Engine;
  hourglassApiOptions?: ApiOptions;
  hourglassStreamOptions?: EventStreamOptions;
};

export function getEngine(): Engine {
  if (!globalForEngine.hourglassEngine) {
    // Read at first request, not at import: `next build` imports this module without a database.
    const env = envSchema.parse(process.env);
    const logger = webLogger();
    const db = createDatabase(env.DATABASE_URL, {
      poolMax: env.HOURGLASS_DB_POOL_MAX,
      applicationName: "hourglass-web",
      preparedStatements: env.HOURGLASS_EMBEDDED_DB !== "1",
      outageLog: (level, message, fields) => logger[level](message, fields),
    });
    // the engine's counters, the database gauges and Node's process metrics, served at /metrics
    const metrics = createMetrics({ processMetrics: true });
    // the live event feed LISTENs on a server; the embedded database delivers no notification across connections
    const eventWakeups = env.HOURGLASS_EMBEDDED_DB === "1" ? "poll" : "listen";
    globalForEngine.hourglassEngine = createEngine({ db, logger, metrics, eventWakeups });
  }
  return globalForEngine.hourglassEngine;
}

/** The token /metrics wants (HOURGLASS_METRICS_TOKEN), or undefined when it is open. */
export function getMetricsToken(): string | undefined {
  return envSchema.parse(process.env).HOURGLASS_METRICS_TOKEN;
}

/** How the API route serves requests: the size limit from the environment, internal errors to the log. */
export function getApiOptions(): ApiOptions {
  if (!globalForEngine.hourglassApiOptions) {
    const env = envSchema.parse(process.env);
    globalForEngine.hourglassApiOptions = {
      policy: requestPolicy(),
      maxRequestBytes: env.HOURGLASS_API_MAX_REQUEST_BYTES,
      onError: (message) => webLogger().error("api: internal error", { error: message }),
    };
  }
  return globalForEngine.hourglassApiOptions;
}

/** How /api/events and /api/events/changes serve: the API's host policy, stream errors to the log. */
export function getEventStreamOptions(): EventStreamOptions {
  globalForEngine.hourglassStreamOptions ??= {
    policy: requestPolicy(),
    onError: (message) => webLogger().error("event stream: internal error", { error: message }),
  };
  return globalForEngine.hourglassStreamOptions;
}
