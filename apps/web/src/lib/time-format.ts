// Times in a chosen IANA zone, 24-hour clock, through the platform's Intl
// (no date library: Intl holds the zone database and does the DST maths).
// Pure: unit-tested in apps/web/test/time-format.test.ts.

/** What the viewer chose: their browser's zone, UTC, or a named IANA zone. */
export type ZonePreference = "local" | "UTC" | (string & {});

/** The browser's (or Node's) own zone, e.g. "Europe/Berlin". */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** True when `zone` is a zone Intl knows ("Europe/Berlin", "UTC", "Etc/GMT+5"). */
export function isValidZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The IANA zone a preference stands for; an unknown zone falls back to the local one. */
export function resolveZone(pref: ZonePreference): string {
  if (pref === "local") return localZone();
  if (pref === "UTC") return "UTC";
  return isValidZone(pref) ? pref : localZone();
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short",
    });
    formatters.set(zone, f);
  }
  return f;
}

interface WallClock { year: number; month: number; day: number; hour: number; minute: number; second: number; zoneName: string }

function wallClock(ms: number, zone: string): WallClock {
  const parts = Object.fromEntries(formatter(zone).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year), month: Number(parts.month), day: Number(parts.day),
    hour: Number(parts.hour) % 24, minute: Number(parts.minute), second: Number(parts.second),
    zoneName: parts.timeZoneName ?? zone,
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The zone's name as people read it at `ms`: "UTC", "CET", "EST", or its offset ("GMT+5:30"). */
export function zoneName(ms: number, zone: string): string {
  return zone === "UTC" ? "UTC" : wallClock(ms, zone).zoneName;
}

/** `2026-12-02 14:05:09 CET`: the absolute time in `zone`, 24-hour clock, with the zone's name. */
export function formatAbsolute(ms: number, zone: string, options: { seconds?: boolean; zone?: boolean } = {}): string {
  const w = wallClock(ms, zone);
  const time = `${pad(w.hour)}:${pad(w.minute)}${options.seconds === false ? "" : `:${pad(w.second)}`}`;
  const text = `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${time}`;
  return options.zone === false ? text : `${text} ${zone === "UTC" ? "UTC" : w.zoneName}`;
}

/** The value a datetime-local input shows for `ms` in `zone` ("2026-12-02T14:05"). */
export function toWallClockInput(ms: number, zone: string): string {
  const w = wallClock(ms, zone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** How far `zone` is ahead of UTC at `ms`, in milliseconds. */
function offsetAt(ms: number, zone: string): number {
  const w = wallClock(ms, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a wall-clock time ("2026-12-02T14:05", as a datetime-local
 * input holds it) names in `zone`; undefined when it is not such a value. A
 * time skipped by a DST change moves forward by the change (02:30 on a
 * spring-forward night is 03:30); a repeated one is its first occurrence.
 */
export function fromWallClockInput(value: string, zone: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0)) as number[];
  const naive = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  if (Number.isNaN(naive) || month! < 1 || month! > 12 || day! < 1 || day! > 31 || hour! > 23 || minute! > 59) return undefined;
  // the offset before and after a possible change near that time; the earlier candidate that reads back right wins
  const candidates = [...new Set([offsetAt(naive - 86_400_000, zone), offsetAt(naive + 86_400_000, zone)])]
    .map((offset) => naive - offset)
    .sort((a, b) => a - b);
  for (const c of candidates) if (toWallClockInput(c, zone) === value.trim().slice(0, 16)) return c;
  return naive - offsetAt(naive - 86_400_000, zone); // skipped: the offset before the change moves it past it
}
