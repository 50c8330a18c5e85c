import type { HeldScopes } from "../access/scopes.ts";
import type { EventFeed, FeedBatch } from "./feed.ts";
import { formatCursor, parseCursor, type Cursor } from "./cursor.ts";
import { cursorAfter, type EventFilter } from "./feed-match.ts";
import type { EventLog } from "./log.ts";
import { EventSelector, selectEvents } from "./select.ts";
import { nextTx } from "./sql/eventsAfter.ts";
import type { FollowFilter } from "./sql/followEvents.ts";
import type { EventInfo } from "./types.ts";

export interface EventStreamOptions {
  /** Any of these (none = every event the caller may see). */
  filters: EventFilter[];
  /** Start after this position; absent = at the log's end now (only what comes next). */
  after?: Cursor;
  /** What the caller may see; `selector.setScopes` changes it while the stream runs. */
  scopes: HeldScopes;
  /** Ends the stream. */
  signal: AbortSignal;
  /**
   * Catching up reads at most this many events before it gives up on them
   * and jumps to the log's end, saying so with a gap (for pages, which only
   * need to know that something changed); absent = no limit.
   */
  catchUpLimit?: number;
  /** Live events held for a consumer that does not keep up; beyond this it reads the log at its own pace instead. */
  maxBuffered?: number;
  batchSize?: number;
}

/**
 * One step of a stream: events it takes, oldest first, and which filters
 * they matched (none when only its position moved: the first item, and
 * stretches of the log it does not take); or a gap (events were skipped, see
 * catchUpLimit). `cursor` is the stream's position after it: resuming after
 * it misses nothing and repeats nothing.
 */
export interface StreamItem {
  events: EventInfo[];
  topics: Set<number>;
  cursor: string;
  gap: boolean;
}

/** One stream's link to the feed: holds what the feed delivered while the stream was catching up or busy. */
class Inbox {
  batches: FeedBatch[] = [];
  held = 0;
  overflowed = false;
  private waiting: (() => void) | null = null;

  constructor(private readonly max: number) {}

  push(batch: FeedBatch): void {
    if (this.overflowed) return;
    this.held += batch.events.length;
    if (this.held > this.max) {
      this.overflowed = true; // the stream reads the log itself from where it is
      this.batches = [];
      this.held = 0;
    } else {
      this.batches.push(batch);
    }
    this.waiting?.();
  }

  take(): FeedBatch[] {
    const taken = this.batches;
    this.batches = [];
    this.held = 0;
    return taken;
  }

  /** Resolves at the next delivery (or at once when something is held). */
  next(signal: AbortSignal): Promise<void> {
    if (this.batches.length > 0 || this.overflowed || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.waiting = null;
        signal.removeEventListener("abort", done);
        resolve();
      };
      this.waiting = done;
      signal.addEventListener("abort", done, { once: true });
    });
  }
}

/** The SQL side of a single filter (the rest is decided in memory); none for several filters. */
function followFilter(filters: EventFilter[]): FollowFilter | undefined {
  if (filters.length !== 1) return undefined;
  const f = filters[0]!;
  return {
    projects: f.projects,
    entityKind: f.entityKinds?.length === 1 ? f.entityKinds[0] : undefined,
    entityId: f.entityId,
  };
}

/**
 * A stream of the log for one caller: it subscribes to the feed, catches up
 * from its start position with the filter applied in the query, then hands
 * over to the feed's deliveries without a gap or a duplicate (it keeps what
 * the feed delivered meanwhile and drops what it already read, by cursor).
 * A consumer that falls behind the feed by more than `maxBuffered` events
 * goes back to reading the log itself. Only events the caller may see are
 * yielded; the rest are absent, exactly as if they did not exist.
 */
export async function* streamEvents(
  feed: EventFeed,
  log: EventLog,
  selector: EventSelector,
  o: Omit<EventStreamOptions, "filters" | "scopes">,
): AsyncGenerator<StreamItem> {
  const inbox = new Inbox(o.maxBuffered ?? 5_000);
  const unsubscribe = await feed.subscribe({ selector, deliver: (b) => inbox.push(b) });
  const batchSize = o.batchSize ?? 500;
  const sqlFilter = followFilter(selector.filters);
  try {
    // a cursor this database never issued (past its next transaction) would wait forever: it starts at the end
    const foreign = o.after !== undefined && o.after.tx >= (await nextTx(feed.sql));
    let position = o.after && !foreign ? o.after : await log.end();
    // first, where the stream starts (the feed is already delivering from no later than this)
    yield { events: [], topics: new Set(), cursor: formatCursor(position), gap: false };
    for (;;) {
      // catching up: the log from `position`, until a read comes back short
      inbox.overflowed = false;
      let read = 0;
      for (;;) {
        if (o.signal.aborted) return;
        const batch = await log.follow(position, batchSize, sqlFilter);
        read += batch.length;
        if (batch.length > 0) {
          const [taken] = await selectEvents(batch, [selector], feed.refs);
          position = parseCursor(batch[batch.length - 1]!.cursor)!;
          yield { ...taken!, cursor: formatCursor(position), gap: false }; // empty: only the position moved
        }
        if (batch.length < batchSize) break;
        if (o.catchUpLimit !== undefined && read >= o.catchUpLimit) {
          const now = await log.end();
          if (cursorAfter(now, position)) position = now;
          read = 0;
          yield { events: [], topics: new Set(), cursor: formatCursor(position), gap: true };
        }
      }
      if (inbox.overflowed) continue;
      // live: the feed's deliveries, past what catching up read
      for (;;) {
        for (const b of inbox.take()) {
          if (!cursorAfter(b.through, position)) continue;
          const after = (e: EventInfo) => cursorAfter(parseCursor(e.cursor)!, position);
          // batches are in log order: only one that straddles the position needs filtering
          const events = after(b.events[0]!) ? b.events : b.events.filter(after);
          position = b.through;
          if (events.length > 0) yield { events, topics: b.topics, cursor: formatCursor(position), gap: false };
          if (o.signal.aborted) return;
        }
        if (inbox.overflowed) break;
        await inbox.next(o.signal);
        if (o.signal.aborted) return;
      }
    }
  } finally {
    unsubscribe();
  }
}

/** A stream's selector: its filters and its caller's scopes (replaceable, see EventSelector.setScopes). */
export function eventSelector(o: Pick<EventStreamOptions, "filters" | "scopes">): EventSelector {
  return new EventSelector(o.filters, o.scopes);
}
