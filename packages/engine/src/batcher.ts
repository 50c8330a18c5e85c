/**
 * Coalesces concurrent calls into set-based batches: calls made while
 * `parallel` batches are in flight wait and go together in the next one, so
 * one statement serves many callers under load and a lone call waits only
 * for a batch to finish. `run` returns one result per item, in order; if it
 * throws, every caller of that batch gets the error. Batches run at once only
 * when their work cannot deadlock (e.g. each locks its rows in key order).
 */
export class Batcher<I, O> {
  private queue: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = 0;
  private scheduled = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly run: (items: I[]) => Promise<O[]>, private readonly maxBatch = 500, private readonly parallel = 1) {}

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.scheduled && this.inFlight < this.parallel) {
        this.scheduled = true;
        setImmediate(() => { // let the calls of this turn of the event loop join
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  /** Resolves once nothing is queued or in flight. */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0 && !this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.queue.length > 0 && this.inFlight < this.parallel) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      this.run(batch.map((b) => b.item))
        .then((results) => batch.forEach((b, i) => b.resolve(results[i]!)), (err) => batch.forEach((b) => b.reject(err)))
        .finally(() => {
          this.inFlight--;
          this.pump();
          if (this.queue.length === 0 && this.inFlight === 0 && !this.scheduled) for (const w of this.idleWaiters.splice(0)) w();
        });
    }
  }
}
