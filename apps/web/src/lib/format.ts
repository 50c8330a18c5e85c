/** Pure formatting for the dashboard (unit-tested in apps/web/test). */

export function relativeTime(ms: number, now = Date.now()): string {
  const diff = ms - now;
  const abs = Math.abs(diff);
  const units: [number, Intl.RelativeTimeFormatUnit][] = [[86_400_000, "day"], [3_600_000, "hour"], [60_000, "minute"], [1000, "second"]];
  const fmt = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  if (abs < 1000) return "now";
  if (abs > 7 * 86_400_000) return new Date(ms).toLocaleString();
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
