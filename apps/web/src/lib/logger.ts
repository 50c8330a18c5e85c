// The web process's logger, built once from the environment: JSON lines
// (pretty ones on a terminal), HOURGLASS_LOG_LEVEL. Apart from the engine
// (lib/engine.ts) so that code without a database, such as the single
// sign-on routes, logs the same way. Only server code imports this module.
import { silentLogger, type Logger } from "@hourglass/engine";
import { logFormat, pinoLogger } from "@hourglass/engine/pino-logger";
import { z } from "zod";

const envSchema = z.object({
  HOURGLASS_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).optional(),
  /** "json" or "pretty"; unset = pretty on a terminal, JSON otherwise. */
  HOURGLASS_LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
});

const globalForLogger = globalThis as unknown as { hourglassWebLogger?: Logger };

export function webLogger(): Logger {
  if (!globalForLogger.hourglassWebLogger) {
    const env = envSchema.parse(process.env);
    // unit tests (Vitest sets NODE_ENV=test) stay quiet unless a level is asked for
    globalForLogger.hourglassWebLogger = process.env.NODE_ENV === "test" && !env.HOURGLASS_LOG_LEVEL
      ? silentLogger
      : pinoLogger({ name: "web", level: env.HOURGLASS_LOG_LEVEL ?? "info", format: logFormat(env.HOURGLASS_LOG_FORMAT, process.stdout.isTTY === true) });
  }
  return globalForLogger.hourglassWebLogger;
}
