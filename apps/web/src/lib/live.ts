"use client";
// Pages stay current from the event log instead of polling: a page names its
// topics (filters of the log, e.g. "events of queue emails"), and one
// EventSource on /api/events/changes tells it which changed; their queries
// are invalidated, so react-query refetches what is on screen. Nothing is
// fetched while nothing changes.
import { useQueryClient, type QueryFilters } from "@tanstack/react-query";
import { useEffect, useRef } from "react";

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

/** After the server refused or dropped the stream: wait this long (doubling) before opening it again. */
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 10_000;

/**
 * Keeps the page's queries for `topics` fresh. The EventSource reconnects by
 * itself after a network error and resumes from its last event id; when the
 * server answers with an error (a restart, an outage, an ended session), it
 * is opened again after a backoff, resuming from the last change it saw, and
 * the topics' queries are refetched once (a 401 then sends the browser to the
 * sign-in page, as for any query).
 */
export function useLive(topics: LiveTopic[]): void {
  const queryClient = useQueryClient();
  const latest = useRef(topics);
  latest.current = topics;
  const key = JSON.stringify(topics.map((t) => t.filter));

  useEffect(() => {
    const filters = JSON.parse(key) as LiveFilter[];
    if (filters.length === 0) return;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let delay = RETRY_MIN_MS;
    let lastId = "";
    let closed = false;
    const refetch = (indices: number[]) => {
      for (const i of indices) for (const f of latest.current[i]?.invalidate ?? []) void queryClient.invalidateQueries(f);
    };
    const open = (reopened: boolean) => {
      const after = lastId ? `&after=${encodeURIComponent(lastId)}` : "";
      const es = new EventSource(`${CHANGES_PATH}?topics=${encodeURIComponent(key)}${after}`);
      source = es;
      es.addEventListener("open", () => {
        delay = RETRY_MIN_MS;
        if (reopened) refetch(filters.map((_, i) => i));
        reopened = false;
      });
      es.addEventListener("change", (ev) => {
        const msg = ev as MessageEvent<string>;
        if (msg.lastEventId) lastId = msg.lastEventId;
        const { topics: changed } = JSON.parse(msg.data) as { topics: number[] };
        refetch(changed);
      });
      es.addEventListener("error", () => {
        if (es.readyState !== EventSource.CLOSED || closed) return; // CONNECTING: the browser retries by itself
        es.close();
        retry = setTimeout(() => {
          retry = null;
          if (!closed) open(true);
        }, delay);
        delay = Math.min(delay * 2, RETRY_MAX_MS);
      });
    };
    open(false);
    return () => {
      closed = true;
      if (retry) clearTimeout(retry);
      source?.close();
    };
  }, [key, queryClient]);
}
