import { hostname } from "node:os";
import { z } from "zod";

const int = (min: number) => z.coerce.number().int().min(min);

/** The worker's configuration, read from the environment once, at start. */
const schema = z.object({
  DATABASE_URL: z.string().min(1, "DATABASE_URL is required (the PostgreSQL the web app uses)"),
  HOURGLASS_WORKER_ID: z.string().min(1).max(200).default(`worker-${hostname()}-${process.pid}`),
  HOURGLASS_WORKER_CONCURRENCY: int(1).default(10),
  HOURGLASS_WORKER_PREFETCH: int(0).default(0),
  HOURGLASS_POLL_INTERVAL_MS: int(10).default(1000),
  /** Set by `npm start` when DATABASE_URL is the embedded PGlite server: polling, no prepared statements. */
  HOURGLASS_EMBEDDED_DB: z.enum(["0", "1"]).default("0"),
  /** "listen" on PostgreSQL servers; "poll" on the embedded database (no cross-connection NOTIFY). */
  HOURGLASS_WAKEUPS: z.enum(["listen", "poll"]).optional(),
  HOURGLASS_MAINTENANCE_INTERVAL_MS: int(10).default(1000),
  HOURGLASS_SHUTDOWN_GRACE_MS: int(0).default(10_000),
  HOURGLASS_DB_POOL_MAX: int(2).default(10),
  /** Directory of scheduler projects (<project>.yaml); default: the repository's config/projects. */
  HOURGLASS_PROJECTS_DIR: z.string().min(1).optional(),
  HOURGLASS_SCHEDULER_INTERVAL_MS: int(10).default(200),
  /** Directory of request specs (*.yaml); default: the repository's config/specs. */
  HOURGLASS_SPECS_DIR: z.string().min(1).optional(),
  /** Roles and role bindings declared in a file (versioned, like LUCI's realms); default: the repository's config/access.yaml. */
  HOURGLASS_ACCESS_FILE: z.string().min(1).optional(),
  /** A request suspended this long fails (default 1 hour). */
  HOURGLASS_SUSPENDED_TTL_MS: int(1000).default(3_600_000),
  /** When set, serves GET /health (liveness) and /health/ready (database) on 127.0.0.1:<port>. */
  HOURGLASS_WORKER_HEALTH_PORT: int(1).max(65535).optional(),
  /** Days events are kept in projects whose file sets no `event_retention`. */
  HOURGLASS_EVENT_RETENTION_DAYS: int(1).default(30),
  /** When set, the health port's GET /metrics wants `Authorization: Bearer <it>`; unset = open. */
  HOURGLASS_METRICS_TOKEN: z.string().min(1).optional(),
  /** SMTP server for alert mail: smtp://user:pass@host:port (STARTTLS when offered) or smtps://… (TLS); unset = email rules fail. */
  HOURGLASS_SMTP_URL: z.url({ protocol: /^smtps?$/, error: "HOURGLASS_SMTP_URL is smtp://user:pass@host:port or smtps://…" }).optional(),
  /** Sender of alert mail (a rule may name its own). */
  HOURGLASS_ALERT_FROM: z.email("HOURGLASS_ALERT_FROM is an email address").default("hourglass@localhost"),
  /** The dashboard's URL, for links in alert mail (the web app reads it too). */
  HOURGLASS_PUBLIC_URL: z.url().optional(),
  /** The alert evaluator follows the event log this often; threshold rules are measured every 15 s. */
  HOURGLASS_ALERTS_INTERVAL_MS: int(10).default(1000),
  HOURGLASS_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** "json" or "pretty"; unset = pretty when stdout is a terminal, JSON lines otherwise. */
  HOURGLASS_LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
});

export type WorkerEnv = z.infer<typeof schema>;

export function readEnv(env: NodeJS.ProcessEnv): WorkerEnv {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    console.error(`hourglass worker: invalid configuration\n${lines.join("\n")}`);
    process.exit(2);
  }
  return parsed.data;
}

/** What shell jobs inherit: enough to find programs, nothing secret (DATABASE_URL stays here). */
export function childEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const keep = ["PATH", "HOME", "LANG", "TZ", "TMPDIR"];
  return Object.fromEntries(keep.filter((k) => env[k] !== undefined).map((k) => [k, env[k]!]));
}
