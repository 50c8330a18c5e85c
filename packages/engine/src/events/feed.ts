import { Backoff, type Sql } from "@hourglass/db";
import type { EngineContext } from "../context.ts";
import { parseCursor, type Cursor } from "./cursor.ts";
import { cursorAfter } from "./feed-match.ts";
import { EventNotifications } from "./listener.ts";
import type { EventLog } from "./log.ts";
import { EventRefResolver } from "./refs.ts";
import { selectEvents, type EventSelector } from "./select.ts";
import { eventsAfter } from "./sql/eventsAfter.ts";
import type { EventInfo } from "./types.ts";

export interface EventFeedOptions {
  /**
   * "listen": one LISTEN connection wakes the feed when events commit;
   * "poll": the feed reads the log every `pollIntervalMs` while anyone
   * subscribes (the embedded database, where notifications never reach
   * another connection).
   */
  wakeups: "listen" | "poll";
  pollIntervalMs?: number;
  /** Events read per query. */
  batchSize?: number;
  /** The LISTEN connection closes this long after the last subscriber left (reopened by the next). */
  idleCloseMs?: number;
}

/** What the feed hands a subscriber after one read: the events it takes and the feed's position after them. */
export interface FeedBatch {
  events: EventInfo[];
  topics: Set<number>;
  through: Cursor;
}

export interface FeedSubscriber {
  readonly selector: EventSelector;
  deliver(batch: FeedBatch): void;
}

/** After a read that left events of finished transactions waiting behind a running one, look again this soon, doubling. */
const HELD_MIN_MS = 5;
const HELD_MAX_MS = 100;

/**
 * The web process's live view of the event log: one reader that follows the
 * log in its final (tx, id) order and hands each batch to every subscriber
 * that takes some of it (its filters and its caller's visibility). With
 * nobody subscribed it reads nothing; with subscribers and nothing
 * happening it reads nothing either in "listen" mode (it waits for a
 * notification). A transaction that was still running when a read happened
 * is not skipped — follow reads only below it — and is picked up by the
 * short re-read loop after a read (eventsAfter), whether or not that older
 * transaction notifies. Database outages are retried with backoff (100 ms
 * to 1 s); the LISTEN connection reconnects and the feed reads once
 * whenever it is back.
 */
export class EventFeed {
  private readonly subscribers = new Set<FeedSubscriber>();
  private readonly resolver: EventRefResolver;
  private readonly outageBackoff = new Backoff();
  private readonly listener: EventNotifications | null;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly idleCloseMs: number;
  private cursor: Cursor | null = null;
  /** The cursor is from before the feed was last idle: the next subscriber starts it afresh at the log's end. */
  private stale = true;
  private starting: Promise<void> | null = null;
  private reading = false;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private heldDelay = HELD_MIN_MS;
  private closed = false;

  constructor(private readonly ctx: EngineContext, private readonly log: EventLog, options: EventFeedOptions) {
    this.resolver = new EventRefResolver(ctx.db.sql);
    this.pollMs = options.pollIntervalMs ?? 250;
    this.batchSize = options.batchSize ?? 500;
    this.idleCloseMs = options.idleCloseMs ?? 60_000;
    this.listener = options.wakeups === "listen"
      ? new EventNotifications(ctx.db.url, () => this.wake(), () => this.wake(), ctx.logger, ctx.db.outage)
      : null;
  }

  /** How many subscribers the feed serves now. */
  get size(): number {
    return this.subscribers.size;
  }

  /** Where the feed reads (streams read there too). */
  get sql(): Sql {
    return this.ctx.db.sql;
  }

  /** The references resolver the feed shares with streams' catch-up reads (one cache per process). */
  get refs(): EventRefResolver {
    return this.resolver;
  }

  /**
   * Adds a subscriber. Resolves once the feed is reading from a position:
   * from then on, every event after that position that the subscriber takes
   * is delivered to it. Returns the function that removes it.
   */
  async subscribe(sub: FeedSubscriber): Promise<() => void> {
    if (this.closed) throw new Error("the event feed is closed");
    this.subscribers.add(sub);
    this.ctx.metrics.eventSubscribers.set(this.subscribers.size);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const remove = () => this.unsubscribe(sub);
    try {
      if (this.stale || !this.cursor) {
        this.starting ??= this.start().finally(() => (this.starting = null));
      }
      await this.starting;
    } catch (err) {
      remove();
      throw err;
    }
    return remove;
  }

  private unsubscribe(sub: FeedSubscriber): void {
    if (!this.subscribers.delete(sub)) return;
    this.ctx.metrics.eventSubscribers.set(this.subscribers.size);
    if (this.subscribers.size > 0) return;
    this.stale = true;
    this.clearTimer();
    if (this.listener && !this.closed) {
      this.idleTimer = setTimeout(() => {
        this.idleTimer = null;
        if (this.subscribers.size === 0) void this.listener!.stop();
      }, this.idleCloseMs);
      this.idleTimer.unref();
    }
  }

  /** Starts reading at the log's end: the LISTEN first, so nothing that commits after the end is read goes unnoticed. */
  private async start(): Promise<void> {
    this.stale = false;
    await this.listener?.start();
    const end = await this.log.end();
    if (!this.cursor || cursorAfter(end, this.cursor)) this.cursor = end;
    this.wake();
  }

  /** Reads now, or right after the read in progress. */
  private wake(): void {
    if (this.closed || this.subscribers.size === 0 || !this.cursor || this.stale) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.clearTimer();
    void this.read();
  }

  private async read(): Promise<void> {
    this.reading = true;
    try {
      do {
        this.again = false;
        const from = this.cursor!;
        const events = await this.log.follow(from, this.batchSize);
        this.outageBackoff.reset();
        if (this.subscribers.size === 0 || this.closed) return;
        if (events.length > 0) {
          await this.fanOut(events);
          const last = parseCursor(events[events.length - 1]!.cursor)!;
          if (!this.cursor || cursorAfter(last, this.cursor)) this.cursor = last;
        }
        if (events.length === this.batchSize) {
          this.again = true;
        } else if (!this.listener) {
          this.schedule(this.pollMs);
        } else if (!this.again && (await eventsAfter(this.ctx.db.sql, this.cursor!))) {
          this.schedule(this.heldDelay);
          this.heldDelay = Math.min(this.heldDelay * 2, HELD_MAX_MS);
        } else {
          this.heldDelay = HELD_MIN_MS;
        }
      } while (this.again && this.subscribers.size > 0 && !this.closed);
    } catch (err) {
      if (!this.ctx.db.outage.failed(err)) {
        this.ctx.logger.warn("event feed: reading the log failed; retrying", { error: (err as Error).message });
      }
      this.schedule(this.outageBackoff.delay());
    } finally {
      this.reading = false;
    }
  }

  private async fanOut(events: EventInfo[]): Promise<void> {
    const subs = [...this.subscribers];
    const selections = await selectEvents(events, subs.map((s) => s.selector), this.resolver);
    const through = parseCursor(events[events.length - 1]!.cursor)!;
    const now = Date.now();
    subs.forEach((sub, i) => {
      const taken = selections[i]!;
      if (taken.events.length === 0) return;
      this.ctx.metrics.eventStreamLag.observe(Math.max(0, now - taken.events[0]!.atTimestampMillis) / 1000);
      sub.deliver({ events: taken.events, topics: taken.topics, through });
    });
  }

  private schedule(ms: number): void {
    if (this.closed || this.subscribers.size === 0) return;
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.wake();
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Stops reading and closes the LISTEN connection (the engine's owner calls it at shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    this.clearTimer();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.subscribers.clear();
    await this.listener?.stop();
  }
}
