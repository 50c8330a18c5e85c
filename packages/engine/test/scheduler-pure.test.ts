// The scheduler's pure core on fixed dates: schedule parsing, the cron
// machine (early, late, duplicate ticks; DST both ways; a clock going
// backwards) and every triggering policy.
import { describe, expect, it } from "vitest";
import { arm, IDLE, invocationFinished, tick, type CronState } from "../src/scheduler/cron-machine.ts";
import { applyPolicy, MAX_PENDING_TRIGGERS } from "../src/scheduler/policies.ts";
import { describeSchedule, parseDuration, parseSchedule, type Schedule } from "../src/scheduler/schedule.ts";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe("schedules", () => {
  it("parses LUCI's forms and cron with seconds, macros and zones", () => {
    expect(parseSchedule(undefined)).toEqual({ kind: "triggered" });
    expect(parseSchedule("continuously")).toEqual({ kind: "continuously" });
    expect(parseSchedule("with 10m interval")).toEqual({ kind: "interval", intervalMillis: 600_000 });
    expect(parseSchedule("*/5 * * * *")).toEqual({ kind: "cron", expression: "*/5 * * * *", timezone: "UTC" });
    expect(parseSchedule("*/10 * * * * *", "Europe/Berlin").kind).toBe("cron");
    expect(parseSchedule("@daily").kind).toBe("cron");
    expect(parseDuration("1h30m")).toBe(5_400_000);
  });

  it("rejects bad schedules with a reason", () => {
    expect(() => parseSchedule("61 * * * *")).toThrow(/minute/);
    expect(() => parseSchedule("with 10x interval")).toThrow(/not a duration/);
    expect(() => parseSchedule("with 500ms interval")).toThrow(/shorter than 1s/);
    expect(() => parseSchedule("* * * * *", "Mars/Olympus")).toThrow(/IANA time zone/);
    expect(() => parseSchedule("every tuesday")).toThrow(/not a schedule/);
  });

  it("describes schedules in words", () => {
    expect(describeSchedule(parseSchedule("*/5 * * * *"))).toBe("every 5 minutes (UTC)");
    expect(describeSchedule(parseSchedule("30 2 * * *", "Europe/Berlin"))).toBe("daily at 02:30 (Europe/Berlin)");
    expect(describeSchedule(parseSchedule("with 1h30m interval"))).toBe("every 1h30m after the previous run");
    expect(describeSchedule(parseSchedule("@hourly"))).toBe("hourly (UTC)");
  });
});

describe("cron machine", () => {
  const every5: Schedule = parseSchedule("*/5 * * * *");
  const run = (state: CronState, schedule: Schedule, now: string) => tick(state, schedule, at(now), "p/job");

  it("arms for the next slot and fires once per slot; early and duplicate ticks do nothing", () => {
    let s = arm(IDLE, every5, at("2026-01-01T10:02:00Z"), () => 0);
    expect(iso(s.nextTickAt)).toBe("2026-01-01T10:05:00.000Z");
    const early = run(s, every5, "2026-01-01T10:04:59Z");
    expect(early.trigger).toBeNull();
    expect(early.state).toEqual(s);
    const fired = run(s, every5, "2026-01-01T10:05:00.300Z");
    expect(fired.trigger).toEqual({ id: "cron:p/job:2026-01-01T10:05:00.000Z", title: "cron tick 2026-01-01T10:05:00.000Z", slotAt: at("2026-01-01T10:05:00Z"), lateMs: 300 });
    s = fired.state;
    expect(iso(s.nextTickAt)).toBe("2026-01-01T10:10:00.000Z");
    // the same tick delivered twice (another worker, a retried task): no second trigger
    expect(run(fired.state, every5, "2026-01-01T10:05:00.400Z").trigger).toBeNull();
  });

  it("after downtime fires once for the newest missed slot, counting the skipped ones, then resumes on schedule", () => {
    const s = arm(IDLE, every5, at("2026-01-01T10:02:00Z"), () => 0);
    const late = run(s, every5, "2026-01-01T11:17:00Z");
    expect(late.trigger!.id).toBe("cron:p/job:2026-01-01T11:15:00.000Z");
    // 10:05, 10:10, ..., 11:10 were passed over: 14 slots
    expect(late.trigger!.skipped).toEqual({ count: 14, from: at("2026-01-01T10:05:00Z"), to: at("2026-01-01T11:15:00Z") });
    expect(late.trigger!.lateMs).toBe(2 * 60_000);
    expect(iso(late.state.nextTickAt)).toBe("2026-01-01T11:20:00.000Z");
  });

  it("a slot missed by a few seconds (its timer's worker died) fires late as itself, and the next slot is not lost", () => {
    const every5s = parseSchedule("*/5 * * * * *");
    let s = arm(IDLE, every5s, at("2026-01-01T10:00:01Z"), () => 0);
    expect(iso(s.nextTickAt)).toBe("2026-01-01T10:00:05.000Z");
    // the tick service finds the lost timer 5 s after its slot, when the next slot is due too
    const lost = run(s, every5s, "2026-01-01T10:00:10.100Z");
    expect(lost.trigger).toMatchObject({ id: "cron:p/job:2026-01-01T10:00:05.000Z", lateMs: 5100 });
    expect(lost.trigger!.skipped).toBeUndefined();
    s = lost.state;
    expect(iso(s.nextTickAt)).toBe("2026-01-01T10:00:10.000Z");
    const next = run(s, every5s, "2026-01-01T10:00:10.300Z");
    expect(next.trigger).toMatchObject({ id: "cron:p/job:2026-01-01T10:00:10.000Z", lateMs: 300 });
    expect(iso(next.state.nextTickAt)).toBe("2026-01-01T10:00:15.000Z");
  });

  it("survives a clock that moves backwards without firing a slot twice", () => {
    const s = arm(IDLE, every5, at("2026-01-01T10:02:00Z"), () => 0);
    const fired = run(s, every5, "2026-01-01T10:05:00Z").state;
    // the clock jumps back ten minutes: the next tick is early, nothing fires
    expect(run(fired, every5, "2026-01-01T09:56:00Z").trigger).toBeNull();
    // a stale state that still points at the fired slot does not fire it again
    const stale = { ...fired, nextTickAt: at("2026-01-01T10:05:00Z") };
    expect(run(stale, every5, "2026-01-01T10:06:00Z").trigger).toBeNull();
  });

  it("neither skips nor doubles a daily run across DST in Europe/Berlin", () => {
    const daily = parseSchedule("30 2 * * *", "Europe/Berlin");
    // spring forward (2026-03-29: 02:00 -> 03:00): 02:30 does not exist; runs once, at 03:00 local
    let s = arm(IDLE, daily, at("2026-03-28T12:00:00Z"), () => 0);
    expect(iso(s.nextTickAt)).toBe("2026-03-29T01:00:00.000Z");
    let r = run(s, daily, "2026-03-29T01:00:00Z");
    expect(r.trigger).not.toBeNull();
    expect(iso(r.state.nextTickAt)).toBe("2026-03-30T00:30:00.000Z");
    // fall back (2026-10-25: 03:00 -> 02:00): 02:30 happens twice; runs once, at the first
    s = arm(IDLE, daily, at("2026-10-24T12:00:00Z"), () => 0);
    expect(iso(s.nextTickAt)).toBe("2026-10-25T00:30:00.000Z");
    r = run(s, daily, "2026-10-25T00:30:00Z");
    expect(r.trigger).not.toBeNull();
    expect(iso(r.state.nextTickAt)).toBe("2026-10-26T01:30:00.000Z");
    expect(run(r.state, daily, "2026-10-25T01:30:00Z").trigger).toBeNull();
  });

  it("runs intervals from the end of the previous invocation, the first randomised within it", () => {
    const tenMin = parseSchedule("with 10m interval");
    const s = arm(IDLE, tenMin, at("2026-01-01T10:00:00Z"), () => 0.5);
    expect(iso(s.nextTickAt)).toBe("2026-01-01T10:05:00.000Z");
    const fired = run(s, tenMin, "2026-01-01T10:05:00Z");
    expect(fired.trigger!.id).toMatch(/^interval:p\/job:/);
    expect(fired.state.nextTickAt).toBeNull(); // waits for the invocation
    const after = invocationFinished(fired.state, tenMin, at("2026-01-01T10:07:30Z"));
    expect(iso(after.nextTickAt)).toBe("2026-01-01T10:17:30.000Z");
  });

  it("does not arm triggered or continuous jobs", () => {
    expect(arm(IDLE, parseSchedule("triggered"), 0, () => 0).nextTickAt).toBeNull();
    expect(arm(IDLE, parseSchedule("continuously"), 0, () => 0).nextTickAt).toBeNull();
  });
});

describe("triggering policies", () => {
  const triggers = (n: number, start = 0) => Array.from({ length: n }, (_, i) => ({ id: `t${start + i}`, createdAt: 1000 + start + i }));

  it("GREEDY_BATCHING takes everything pending, up to the batch size, per free slot", () => {
    const d = applyPolicy({ kind: "GREEDY_BATCHING", maxConcurrentInvocations: 1, maxBatchSize: 1000 }, { activeInvocations: 0, pending: triggers(5), now: 0 });
    expect(d.requests.map((r) => r.map((t) => t.id))).toEqual([["t0", "t1", "t2", "t3", "t4"]]);
    const busy = applyPolicy({ kind: "GREEDY_BATCHING", maxConcurrentInvocations: 1, maxBatchSize: 1000 }, { activeInvocations: 1, pending: triggers(5), now: 0 });
    expect(busy.requests).toEqual([]);
    const two = applyPolicy({ kind: "GREEDY_BATCHING", maxConcurrentInvocations: 3, maxBatchSize: 2 }, { activeInvocations: 1, pending: triggers(5), now: 0 });
    expect(two.requests.map((r) => r.length)).toEqual([2, 2]);
  });

  it("LOGARITHMIC_BATCHING takes log_base(N) triggers, at least one", () => {
    const p = { kind: "LOGARITHMIC_BATCHING" as const, logBase: 2, maxConcurrentInvocations: 1, maxBatchSize: 1000 };
    expect(applyPolicy(p, { activeInvocations: 0, pending: triggers(1), now: 0 }).requests[0]).toHaveLength(1);
    expect(applyPolicy(p, { activeInvocations: 0, pending: triggers(8), now: 0 }).requests[0]).toHaveLength(3);
    expect(applyPolicy(p, { activeInvocations: 0, pending: triggers(1000), now: 0 }).requests[0]).toHaveLength(9);
  });

  it("NEWEST_FIRST runs the newest trigger and discards those past the pending timeout", () => {
    const p = { kind: "NEWEST_FIRST" as const, maxConcurrentInvocations: 1, pendingTimeoutMillis: 500 };
    const d = applyPolicy(p, { activeInvocations: 0, pending: [{ id: "old", createdAt: 100 }, { id: "a", createdAt: 900 }, { id: "b", createdAt: 950 }], now: 1000 });
    expect(d.requests.map((r) => r.map((t) => t.id))).toEqual([["b"]]);
    expect(d.discard.map((t) => t.id)).toEqual(["old"]);
  });

  it("trims a pending set over the cap, oldest first", () => {
    const d = applyPolicy({ kind: "GREEDY_BATCHING", maxConcurrentInvocations: 0, maxBatchSize: 1 }, { activeInvocations: 0, pending: triggers(MAX_PENDING_TRIGGERS + 3), now: 0 });
    expect(d.discard.map((t) => t.id)).toEqual(["t0", "t1", "t2"]);
  });
});
