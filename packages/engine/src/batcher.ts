/**
 * Coalesces concurrent calls into set-based batches: calls made while a batch
 * is in flight wait and go together in the next one, so one statement serves
 * many callers under load and a lone call waits only for the current batch.
 * `run` returns one result per item, in order; if it throws, every caller of
 * that batch gets the error.
 */
export class Batcher<I, O> {
  private queue: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private flushing = false;

  constructor(private readonly run: (items: I[]) => Promise<O[]>, private readonly maxBatch = 500) {}

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush()); // let the calls of this turn of the event loop join
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const results = await this.run(batch.map((b) => b.item));
        batch.forEach((b, i) => b.resolve(results[i]!));
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
    this.flushing = false;
  }
}
