"use client";
// Pages stay current from the event log instead of polling: each component
// names its topics (filters of the log, e.g. "events of queue emails") with
// useLive, and the tab's one EventSource on /api/events/changes (browsers
// allow few connections per server, so never one per component) tells which
// changed; their queries are invalidated, so react-query refetches what is on
// screen. Nothing is fetched while nothing changes.
import { useQueryClient, type QueryClient, type QueryFilters } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useId, useRef, useState, type ReactNode } from "react";

/** A filter of the log (the engine's EventFilter): every field narrows. */
export interface LiveFilter {
  projects?: string[];
  entityKinds?: string[];
  entityId?: string;
  actions?: string[];
  to?: string[];
  /** Events of this queue (the queue's and its jobs'). */
  queue?: string;
  /** Events of this scheduler job ("<project>/<job>"): the job's, its invocations' and triggers'. */
  job?: string;
  /** Events of this request (the request's and its chain jobs'). */
  request?: string;
}

/** A topic: what to watch, and the queries to refetch when it changes. */
export interface LiveTopic {
  filter: LiveFilter;
  invalidate: QueryFilters[];
}

export const CHANGES_PATH = "/api/events/changes";
/** The server takes at most this many topics per stream. */
const MAX_TOPICS = 20;
/** After the server refused or dropped the stream: wait this long (doubling) before opening it again. */
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 10_000;

/** The tab's topics: which components watch what, merged into one stream. */
class LiveRegistry {
  private readonly owners = new Map<string, LiveTopic[]>();
  private source: EventSource | null = null;
  private filters: string[] = [];
  private key = "";
  private lastId = "";
  private retry: ReturnType<typeof setTimeout> | null = null;
  private pending: ReturnType<typeof setTimeout> | null = null;
  private delay = RETRY_MIN_MS;

  constructor(private readonly queryClient: QueryClient) {}

  set(owner: string, topics: LiveTopic[]): void {
    if (topics.length === 0) this.owners.delete(owner);
    else this.owners.set(owner, topics);
    // a page change unmounts one set of topics and mounts the next: reconnect once, after both
    if (!this.pending) this.pending = setTimeout(() => ((this.pending = null), this.sync()), 30);
  }

  private topics(): LiveTopic[] {
    return [...this.owners.values()].flat();
  }

  private sync(): void {
    const filters = [...new Set(this.topics().map((t) => JSON.stringify(t.filter)))].slice(0, MAX_TOPICS);
    const key = JSON.stringify(filters.map((f) => JSON.parse(f)));
    if (key === this.key && this.source) return;
    this.close();
    this.filters = filters;
    this.key = key;
    this.lastId = "";
    if (filters.length > 0) this.open(false);
  }

  /** Refetches the queries of every topic whose filter is one of `indices` (all of them when absent). */
  private refetch(indices?: number[]): void {
    const changed = new Set((indices ?? this.filters.map((_, i) => i)).map((i) => this.filters[i]));
    for (const t of this.topics()) {
      if (!changed.has(JSON.stringify(t.filter))) continue;
      for (const f of t.invalidate) void this.queryClient.invalidateQueries(f);
    }
  }

  private open(reopened: boolean): void {
    const after = this.lastId ? `&after=${encodeURIComponent(this.lastId)}` : "";
    const es = new EventSource(`${CHANGES_PATH}?topics=${encodeURIComponent(this.key)}${after}`);
    this.source = es;
    es.addEventListener("open", () => {
      this.delay = RETRY_MIN_MS;
      // after the server refused us, what happened meanwhile is unknown: look once
      if (reopened) this.refetch();
      reopened = false;
    });
    es.addEventListener("change", (ev) => {
      const msg = ev as MessageEvent<string>;
      if (msg.lastEventId) this.lastId = msg.lastEventId;
      this.refetch((JSON.parse(msg.data) as { topics: number[] }).topics);
    });
    es.addEventListener("error", () => {
      if (this.source !== es || es.readyState !== EventSource.CLOSED) return; // CONNECTING: the browser retries itself
      es.close();
      this.source = null;
      this.retry = setTimeout(() => {
        this.retry = null;
        if (!this.source && this.filters.length > 0) this.open(true);
      }, this.delay);
      this.delay = Math.min(this.delay * 2, RETRY_MAX_MS);
    });
  }

  private close(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.source?.close();
    this.source = null;
  }
}

const LiveContext = createContext<LiveRegistry | null>(null);

/** One stream of changes for the tab (inside the QueryClientProvider). */
export function LiveProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [registry] = useState(() => new LiveRegistry(queryClient));
  return <LiveContext.Provider value={registry}>{children}</LiveContext.Provider>;
}

/**
 * Keeps the queries of `topics` fresh while the component is mounted. The
 * EventSource reconnects by itself after a network error and resumes from its
 * last event id; when the server answers with an error (a restart, an outage,
 * an ended session), it is opened again after a backoff, resuming from the
 * last change it saw, and the topics' queries are refetched once (a 401 then
 * sends the browser to the sign-in page, as for any query).
 */
export function useLive(topics: LiveTopic[]): void {
  const registry = useContext(LiveContext);
  const owner = useId();
  const latest = useRef(topics);
  latest.current = topics;
  const key = JSON.stringify(topics.map((t) => t.filter));
  useEffect(() => {
    if (!registry) return;
    // the registry reads the topics' current query filters when it refetches
    const current = latest.current.map((t, i) => ({
      filter: t.filter,
      get invalidate() {
        return latest.current[i]?.invalidate ?? [];
      },
    }));
    registry.set(owner, current);
    return () => registry.set(owner, []);
  }, [registry, owner, key]);
}
