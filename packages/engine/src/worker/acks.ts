import { Backoff, isConnectionError } from "@hourglass/db";
import type { JobResult } from "../queue/jobs.ts";
import type { Logger } from "../logger.ts";

const MAX_ACK_TRIES = 5;

/**
 * Acks a worker's results, one statement per queue per round. Results that
 * arrive while a round is in flight wait for the next, so acks batch
 * themselves under load. While the database is away (a lost connection) a
 * batch is kept and retried with backoff until it is back: the worker that
 * ran the jobs finishes them, rather than leaving them to lease expiry. An ack
 * that committed but whose answer was lost is harmless to repeat (acks are
 * guarded by the claim). A batch that keeps failing for any other reason is
 * dropped after a few tries: its claims then lapse and the jobs run again
 * (at-least-once).
 */
export class Acks {
  private readonly results = new Map<string, JobResult[]>();
  private flushing: Promise<void> | null = null;
  private failures = 0;
  private readonly backoff = new Backoff();
  /** Set by flush(deadline): past it, batches waiting for the database are dropped instead of retried. */
  private giveUpAt = Infinity;

  constructor(
    private readonly complete: (queueName: string, results: JobResult[]) => Promise<unknown>,
    private readonly log: Logger,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  add(queueName: string, result: JobResult): void {
    const list = this.results.get(queueName);
    if (list) list.push(result);
    else this.results.set(queueName, [result]);
    this.kick();
  }

  private kick(): void {
    this.flushing ??= this.rounds().finally(() => {
      this.flushing = null;
      if (this.results.size > 0) this.kick(); // added after the last round looked
    });
  }

  /**
   * Waits until every result added so far is acked (or dropped). With a
   * deadline (epoch ms), results still waiting for the database then are dropped.
   */
  async flush(deadline = Infinity): Promise<void> {
    this.giveUpAt = deadline;
    while (this.flushing) await this.flushing;
  }

  private async rounds(): Promise<void> {
    while (this.results.size > 0) {
      const batch = [...this.results.entries()];
      this.results.clear();
      for (const [queueName, results] of batch) {
        try {
          await this.complete(queueName, results);
          this.failures = 0;
          this.backoff.reset();
        } catch (err) {
          this.onError(err);
          const lost = isConnectionError(err);
          const giveUp = lost ? Date.now() >= this.giveUpAt : ++this.failures >= MAX_ACK_TRIES;
          if (!lost || giveUp) {
            this.log.error(giveUp ? "acking failed; dropping the batch, its leases will lapse" : "acking failed; will retry", {
              queue: queueName, jobs: results.length, error: (err as Error).message,
            });
          }
          if (giveUp) {
            this.failures = 0;
            continue;
          }
          this.results.set(queueName, [...results, ...(this.results.get(queueName) ?? [])]);
          await new Promise((r) => setTimeout(r, lost ? this.backoff.delay() : 500));
        }
      }
    }
  }
}
