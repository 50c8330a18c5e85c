"use client";
// List state that lives in the URL (nuqs), so a reload or a shared link shows
// the same view: the parsers each list page reads its query string with, and
// hooks that pair them with what the API is asked.
import { REQUEST_STATES } from "@hourglass/engine/states";
import { parseAsArrayOf, parseAsInteger, parseAsJson, parseAsString, parseAsStringLiteral, useQueryStates } from "nuqs";
import { useEffect, useMemo, useState } from "react";
import { rangeBounds, rangeProblem, RANGES, type Range, type TimeRange } from "./time-range";
import { useTimeZone } from "./time-zone";
import { z } from "zod";

/** A time range in the URL: `range` (1h, 24h, 7d, all, custom) and a custom range's `from` / `to` (wall clock). */
export function timeRangeParsers(defaultRange: Range) {
  return {
    range: parseAsStringLiteral(RANGES).withDefault(defaultRange),
    from: parseAsString.withDefault(""),
    to: parseAsString.withDefault(""),
  };
}

/** A page number in the URL (`page`, from 1). */
export const pageParser = { page: parseAsInteger.withDefault(1) };

/**
 * The bounds a time range stands for. Relative ranges count back from when
 * the range (or `key`, the rest of the filters) last changed, so paging
 * through a list does not slide under the reader; `refresh` moves "now".
 */
export function useRangeBounds(r: TimeRange, key: string) {
  const { zone } = useTimeZone();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => setNow(Date.now()), [r.range, r.from, r.to, key]);
  const bounds = useMemo(() => rangeBounds(r, now, zone), [r, now, zone]);
  return { ...bounds, problem: rangeProblem(r, zone), refresh: () => setNow(Date.now()) };
}

/** The time range of the current URL, its setter, and the bounds it stands for. */
export function useTimeRangeState(defaultRange: Range, key = "") {
  const [r, set] = useQueryStates(timeRangeParsers(defaultRange), { history: "replace" });
  const bounds = useRangeBounds(r, key);
  return { range: r, setRange: set, bounds };
}

/** The Requests page's filters (Spin Cycle's find) in the URL. */
export const requestsParsers = {
  type: parseAsString.withDefault(""),
  states: parseAsArrayOf(parseAsStringLiteral(REQUEST_STATES)).withDefault([]),
  user: parseAsString.withDefault(""),
  args: parseAsJson(z.record(z.string(), z.string())).withDefault({}),
  ...timeRangeParsers("all"),
  ...pageParser,
};

export function useRequestsQuery() {
  return useQueryStates(requestsParsers, { history: "replace" });
}

/** A keyset-paged list's position in the URL: the continuations of the pages before this one ("." between them). */
export const keysetPagesParser = { pages: parseAsArrayOf(parseAsString, ".").withDefault([]) };

/** The queue job list's time range (by runAfter) and keyset pages in the URL; its other filters are plain params. */
export function useJobListUrlState() {
  const [state, set] = useQueryStates({ ...timeRangeParsers("all"), ...keysetPagesParser }, { history: "replace", scroll: false });
  return { state, set };
}

/** A scheduler job's invocation list: its started-at range and keyset pages (invocation ids) in the URL. */
export function useInvocationListUrlState() {
  const [state, set] = useQueryStates({ ...timeRangeParsers("all"), ...keysetPagesParser }, { history: "replace", scroll: false });
  return { state, set };
}
