import type { JobResult } from "../queue/jobs.ts";
import type { Logger } from "../logger.ts";

const MAX_ACK_TRIES = 5;

/**
 * Acks a worker's results, one statement per queue per round. Results that
 * arrive while a round is in flight wait for the next, so acks batch
 * themselves under load. A batch that keeps failing is dropped after a few
 * tries: its claims then lapse and the jobs run again (at-least-once).
 */
export class Acks {
  private readonly results = new Map<string, JobResult[]>();
  private flushing: Promise<void> | null = null;
  private failures = 0;

  constructor(private readonly complete: (queueName: string, results: JobResult[]) => Promise<unknown>, private readonly log: Logger) {}

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

  /** Waits until every result added so far is acked (or dropped). */
  async flush(): Promise<void> {
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
        } catch (err) {
          const giveUp = ++this.failures >= MAX_ACK_TRIES;
          this.log.error(giveUp ? "acking failed; dropping the batch, its leases will lapse" : "acking failed; will retry", {
            queueName, jobs: results.length, error: (err as Error).message,
          });
          if (giveUp) {
            this.failures = 0;
            continue;
          }
          this.results.set(queueName, [...results, ...(this.results.get(queueName) ?? [])]);
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    }
  }
}
