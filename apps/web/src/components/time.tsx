"use client";
import { relativeTime } from "@/lib/format";
import { useNow } from "@/lib/now";
import { formatAbsolute } from "@/lib/time-format";
import { useTimeZone } from "@/lib/time-zone";

/**
 * A time as every page shows one: absolute in the viewer's chosen zone
 * (24-hour clock, with the zone's name), the relative time beside it, and
 * the UTC time on hover. `relative={false}` leaves the relative part out.
 */
export function Time({ ms, relative = true }: { ms: number | null | undefined; relative?: boolean }) {
  const now = useNow();
  const { zone } = useTimeZone();
  if (ms === null || ms === undefined) return <span className="text-slate-400">—</span>;
  const iso = new Date(ms).toISOString();
  return (
    <time dateTime={iso} data-zone={zone} title={`${formatAbsolute(ms, "UTC")} · ${relativeTime(ms, now)}`}
      className="whitespace-nowrap tabular-nums">
      {formatAbsolute(ms, zone)}
      {relative && <span className="ml-1.5 text-xs text-slate-500 dark:text-slate-400">{relativeTime(ms, now)}</span>}
    </time>
  );
}
