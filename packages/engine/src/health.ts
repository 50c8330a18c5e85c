import type { EngineContext } from "./context.ts";

/** What a readiness probe reports about the database. */
export interface DatabaseHealth {
  ok: boolean;
  /** Round trip of `SELECT 1`, or how long the probe waited before giving up. */
  latencyMs: number;
  error?: string;
}

/**
 * One `SELECT 1` through the engine's pool, bounded by `timeoutMs`, for
 * readiness probes (the web app's /api/health/ready, the worker's health
 * port). Never throws: a database that is away is an answer, not an error.
 */
export async function checkDatabase(ctx: EngineContext, timeoutMs = 2000): Promise<DatabaseHealth> {
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([ctx.db.sql.query("SELECT 1"), timeout]);
    ctx.db.outage.ok();
    return { ok: true, latencyMs: Math.round(performance.now() - t0) };
  } catch (err) {
    ctx.db.outage.failed(err);
    return { ok: false, latencyMs: Math.round(performance.now() - t0), error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}
