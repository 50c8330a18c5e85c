import type { Sql } from "@hourglass/db";

const ABORTED_BY_API = new Error("invocation aborted");

/** How often running invocations are checked for an abort. */
export const ABORT_POLL_MS = 500;

/**
 * Notices invocations aborted through the API while their task runs on this
 * worker: one query every ABORT_POLL_MS for all of them, however many run at
 * once. `watch` returns the signal the task gets: it fires when the worker's
 * own signal does (shutdown) or when the invocation is found ABORTED.
 */
export class AbortWatch {
  private readonly running = new Map<string, AbortController>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly sql: Sql) {}

  watch(invocationId: string, workerSignal: AbortSignal): { signal: AbortSignal; abortedByApi: () => boolean; done: () => void } {
    const controller = new AbortController();
    const onWorkerAbort = () => controller.abort(workerSignal.reason);
    workerSignal.addEventListener("abort", onWorkerAbort, { once: true });
    if (workerSignal.aborted) controller.abort(workerSignal.reason);
    this.running.set(invocationId, controller);
    this.timer ??= setTimeout(() => void this.poll(), ABORT_POLL_MS).unref();
    return {
      signal: controller.signal,
      abortedByApi: () => controller.signal.reason === ABORTED_BY_API,
      done: () => {
        workerSignal.removeEventListener("abort", onWorkerAbort);
        this.running.delete(invocationId);
      },
    };
  }

  private async poll(): Promise<void> {
    try {
      const ids = [...this.running.keys()];
      if (ids.length > 0) {
        const aborted = await this.sql.query<{ id: string }>(
          `SELECT id::text AS id FROM scheduler_invocation WHERE id = ANY($1::bigint[]) AND state = 'ABORTED'`, [ids]);
        for (const r of aborted.rows) this.running.get(r.id)?.abort(ABORTED_BY_API);
      }
    } catch {
      // the next poll tries again; an abort is noticed late, never lost (the row stays ABORTED)
    }
    this.timer = this.running.size > 0 ? setTimeout(() => void this.poll(), ABORT_POLL_MS).unref() : null;
  }
}
