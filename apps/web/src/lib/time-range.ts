// The time ranges list pages filter by (last hour / 24 h / 7 d / any time /
// custom), and the epoch-millis bounds they stand for. A custom range's ends
// are wall-clock times in the viewer's chosen zone. Pure: tested in
// apps/web/test/time-range.test.ts.
import { fromWallClockInput } from "./time-format";

export const RANGES = ["1h", "24h", "7d", "all", "custom"] as const;
export type Range = (typeof RANGES)[number];

export const RANGE_LABELS: Record<Range, string> = {
  "1h": "Last hour", "24h": "Last 24 hours", "7d": "Last 7 days", all: "Any time", custom: "Custom",
};

const RANGE_MS: Partial<Record<Range, number>> = { "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000 };

export interface TimeRange {
  range: Range;
  /** A custom range's ends as a datetime-local input holds them ("2026-06-01T12:00"); "" = open. */
  from: string;
  to: string;
}

/** What `r` asks for: relative ranges counted back from `now`, custom ends read in `zone`. */
export function rangeBounds(r: TimeRange, now: number, zone: string): { since?: number; until?: number } {
  const span = RANGE_MS[r.range];
  if (span !== undefined) return { since: now - span };
  if (r.range !== "custom") return {};
  const since = r.from ? fromWallClockInput(r.from, zone) : undefined;
  const until = r.to ? fromWallClockInput(r.to, zone) : undefined;
  return { ...(since !== undefined && { since }), ...(until !== undefined && { until }) };
}

/** Why a custom range cannot be asked for, or undefined when it can. */
export function rangeProblem(r: TimeRange, zone: string): string | undefined {
  if (r.range !== "custom") return undefined;
  if (r.from && fromWallClockInput(r.from, zone) === undefined) return `"${r.from}" is not a date and time`;
  if (r.to && fromWallClockInput(r.to, zone) === undefined) return `"${r.to}" is not a date and time`;
  const { since, until } = rangeBounds(r, 0, zone);
  if (since !== undefined && until !== undefined && since > until) return "the range ends before it starts";
  return undefined;
}
