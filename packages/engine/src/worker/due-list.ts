import type { Clock } from "../clock.ts";

/**
 * Things that fall due at clock times (epoch ms), kept earliest first and
 * served by one timer: `onDue` gets each batch whose time has come. The timer
 * never waits longer than `maxWaitMs`, so a clock that jumps (an injected
 * one in tests) is noticed within that bound.
 */
export class DueList<T> {
  private entries: { at: number; item: T }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  /** Beyond `cap` entries the latest are dropped. */
  constructor(
    private readonly clock: Clock,
    private readonly maxWaitMs: number,
    private readonly onDue: (items: T[]) => void,
    private readonly cap = Number.POSITIVE_INFINITY,
  ) {}

  get size(): number {
    return this.entries.length;
  }

  items(): T[] {
    return this.entries.map((e) => e.item);
  }

  has(at: number): boolean {
    return this.entries.some((e) => e.at === at);
  }

  add(entries: { at: number; item: T }[]): void {
    if (entries.length === 0 || this.stopped) return;
    for (const e of entries) this.entries.push(e);
    this.entries.sort((a, b) => a.at - b.at);
    if (this.entries.length > this.cap) this.entries.length = this.cap;
    this.arm();
  }

  /** Stops the timer; returns what had not fallen due. */
  stop(): T[] {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    return this.entries.splice(0).map((e) => e.item);
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const next = this.entries[0];
    if (!next || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const now = this.clock.now().getTime();
      let n = 0;
      while (n < this.entries.length && this.entries[n]!.at <= now) n++;
      if (n > 0) this.onDue(this.entries.splice(0, n).map((e) => e.item));
      this.arm();
    }, Math.max(1, Math.min(next.at - this.clock.now().getTime(), this.maxWaitMs)));
  }
}
