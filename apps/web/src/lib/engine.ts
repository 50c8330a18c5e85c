// The web app's composition root: one engine per server process, built from
// validated environment. Only server code imports this module.
import { createDatabase } from "@hourglass/db";
import { consoleLogger, createEngine, type Engine } from "@hourglass/engine";
import { z } from "zod";

const envSchema = z.object({
  DATABASE_URL: z.string().min(1, "DATABASE_URL is required"),
  HOURGLASS_DB_POOL_MAX: z.coerce.number().int().min(1).default(10),
  /** Set by `npm start` for the embedded database, which cannot share prepared statement names between connections. */
  HOURGLASS_EMBEDDED_DB: z.enum(["0", "1"]).default("0"),
});

const globalForEngine = globalThis as unknown as { hourglassEngine?: Engine };

export function getEngine(): Engine {
  if (!globalForEngine.hourglassEngine) {
    // Read at first request, not at import: `next build` imports this module without a database.
    const env = envSchema.parse(process.env);
    const db = createDatabase(env.DATABASE_URL, {
      poolMax: env.HOURGLASS_DB_POOL_MAX,
      applicationName: "hourglass-web",
      preparedStatements: env.HOURGLASS_EMBEDDED_DB !== "1",
    });
    globalForEngine.hourglassEngine = createEngine({ db, logger: consoleLogger("web") });
  }
  return globalForEngine.hourglassEngine;
}
