import { Cron } from "croner";

/**
 * A job's schedule, LUCI's syntax plus time zones:
 * - a cron expression: 5 fields, 6 with seconds, or a macro (@hourly, @daily, …),
 *   evaluated in `timezone` (IANA name, default UTC);
 * - "with <duration> interval": the next run starts <duration> after the
 *   previous invocation ends; the first run is randomised within the interval;
 * - "continuously": a new invocation as soon as the previous one ends;
 * - "triggered" (the default): only triggers start invocations.
 *
 * DST rule (cron in a zone with daylight saving): a wall-clock time that does
 * not exist (spring forward) runs once, at the first instant after the gap; a
 * time that occurs twice (fall back) runs once, at its first occurrence.
 */
export type Schedule =
  | {
      kind: "cron"; expression: string; timezone: string;
      /** Each slot fires up to this much later (deterministic per job and slot, see slots.ts); absent = on the slot. */
      jitterMillis?: number;
      /** After downtime, every missed slot this recent runs; absent = one catch-up run for the newest (cron-machine.ts). */
      catchUpMillis?: number;
    }
  | { kind: "interval"; intervalMillis: number }
  | { kind: "continuously" }
  | { kind: "triggered" };

export class ScheduleError extends Error {}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses "10m", "1h30m", "45s", "500ms" into milliseconds. */
export function parseDuration(text: string): number {
  const parts = [...text.matchAll(/(\d+)(ms|[smhd])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) {
    throw new ScheduleError(`"${text}" is not a duration (e.g. 500ms, 30s, 10m, 1h30m, 2d)`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]!]!, 0);
}

export function parseSchedule(text: string | undefined, timezone = "UTC"): Schedule {
  const s = (text ?? "triggered").trim();
  if (s === "triggered") return { kind: "triggered" };
  if (s === "continuously") return { kind: "continuously" };
  const interval = /^with\s+(\S+)\s+interval$/.exec(s);
  if (interval) {
    const ms = parseDuration(interval[1]!);
    if (ms < 1000) throw new ScheduleError(`interval ${interval[1]} is shorter than 1s`);
    return { kind: "interval", intervalMillis: ms };
  }
  try {
    Intl.DateTimeFormat("en-US", { timeZone: timezone });
  } catch {
    throw new ScheduleError(`"${timezone}" is not an IANA time zone (e.g. Europe/Berlin)`);
  }
  cronOf(s, timezone); // validates
  return { kind: "cron", expression: s, timezone };
}

/**
 * Parsed patterns, reused: a paused Cron is only a pattern, and parsing is most
 * of a tick's cost (10,000 jobs on "* * * * *" share one). Bounded; cleared when full.
 */
const parsed = new Map<string, Cron>();
const PARSED_LIMIT = 10_000;

/** The croner pattern of a cron schedule (cached). */
export function cronOf(expression: string, timezone: string): Cron {
  const key = `${timezone} ${expression}`;
  const hit = parsed.get(key);
  if (hit) return hit;
  try {
    const cron = new Cron(expression, { timezone, paused: true, mode: "5-or-6-parts" });
    if (parsed.size >= PARSED_LIMIT) parsed.clear();
    parsed.set(key, cron);
    return cron;
  } catch (err) {
    throw new ScheduleError(`"${expression}" is not a schedule: ${(err as Error).message.replace(/^CronPattern: /, "")}` +
      ` (use cron, "with 10m interval", "continuously" or "triggered")`);
  }
}

/** The first cron slot strictly after `after`. */
export function nextCronSlot(schedule: Extract<Schedule, { kind: "cron" }>, after: Date): Date | null {
  return cronOf(schedule.expression, schedule.timezone).nextRun(after);
}

/** The schedule in words for the dashboard (the raw text goes on hover). */
export function describeSchedule(schedule: Schedule): string {
  switch (schedule.kind) {
    case "triggered":
      return "when triggered";
    case "continuously":
      return "continuously";
    case "interval":
      return `every ${formatDuration(schedule.intervalMillis)} after the previous run`;
    case "cron": {
      const macros: Record<string, string> = {
        "@yearly": "yearly", "@annually": "yearly", "@monthly": "monthly", "@weekly": "weekly",
        "@daily": "daily", "@midnight": "daily", "@hourly": "hourly",
      };
      const tz = schedule.timezone === "UTC" ? "UTC" : schedule.timezone;
      const words = macros[schedule.expression] ?? cronInWords(schedule.expression);
      return `${words} (${tz})`;
    }
  }
}

function cronInWords(expression: string): string {
  const f = expression.split(/\s+/);
  const [sec, min, hour, dom, mon, dow] = f.length === 6 ? f : ["0", ...f];
  const rest = dom === "*" && mon === "*" && dow === "*";
  if (rest && hour === "*" && min === "*" && sec?.startsWith("*/")) return `every ${sec.slice(2)} seconds`;
  if (rest && hour === "*" && sec === "0" && min?.startsWith("*/")) return `every ${min.slice(2)} minutes`;
  if (rest && hour === "*" && sec === "0" && min === "*") return "every minute";
  if (rest && hour === "*" && sec === "0" && /^\d+$/.test(min!)) return `hourly at :${min!.padStart(2, "0")}`;
  if (rest && sec === "0" && /^\d+$/.test(min!) && /^\d+$/.test(hour!)) return `daily at ${hour!.padStart(2, "0")}:${min!.padStart(2, "0")}`;
  return `cron ${expression}`;
}

export function formatDuration(ms: number): string {
  const parts: string[] = [];
  for (const [unit, size] of [["d", 86_400_000], ["h", 3_600_000], ["m", 60_000], ["s", 1000]] as const) {
    if (ms >= size) {
      parts.push(`${Math.floor(ms / size)}${unit}`);
      ms %= size;
    }
  }
  return parts.join("") || "0s";
}
