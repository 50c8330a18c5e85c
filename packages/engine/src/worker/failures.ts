import { Backoff } from "@hourglass/db";
import type { EngineContext } from "../context.ts";

/**
 * How a background task reports an error: connection loss is logged once per
 * outage by the database's OutageMonitor, anything else each time under
 * `what`. Returns whether it was connection loss (wait and try again).
 */
export function reportFailure(ctx: EngineContext, what: string, err: unknown): boolean {
  if (ctx.db.outage.failed(err)) return true;
  ctx.logger.error(what, { error: err instanceof Error ? err.message : String(err) });
  return false;
}

/**
 * Runs a start-up step until it succeeds, waiting out a database that is
 * away (with backoff); other errors are thrown. Gives up quietly, returning
 * false, once `stopped()` says the process is stopping.
 */
export async function untilDatabaseAnswers(
  ctx: EngineContext,
  what: string,
  step: () => Promise<unknown>,
  stopped: () => boolean,
): Promise<boolean> {
  const backoff = new Backoff();
  while (!stopped()) {
    try {
      await step();
      return true;
    } catch (err) {
      if (!ctx.db.outage.failed(err)) throw err;
      ctx.logger.debug(`${what}: waiting for the database`);
      await new Promise((r) => setTimeout(r, backoff.delay()));
    }
  }
  return false;
}
