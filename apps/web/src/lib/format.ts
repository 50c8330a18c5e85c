/** Pure formatting for the dashboard (unit-tested in apps/web/test). */

/** "5 minutes ago", "in 3 hours", "2 weeks ago": always relative (the absolute time is shown beside it). */
export function relativeTime(ms: number, now = Date.now()): string {
  const diff = ms - now;
  const abs = Math.abs(diff);
  const units: [number, Intl.RelativeTimeFormatUnit][] = [
    [365 * 86_400_000, "year"], [30 * 86_400_000, "month"], [7 * 86_400_000, "week"],
    [86_400_000, "day"], [3_600_000, "hour"], [60_000, "minute"], [1000, "second"],
  ];
  const fmt = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  if (abs < 1000) return "now";
  for (const [size, unit] of units) if (abs >= size) return fmt.format(Math.round(diff / size), unit);
  return "now";
}

export function formatCount(n: number, cap: number): string {
  return n >= cap ? `${cap.toLocaleString()}+` : n.toLocaleString();
}

export function formatMillis(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}
