// Schedules as Temporal users expect, pure and on fixed dates: jitter
// (deterministic per slot), the catch-up window, backfill slot ranges, the
// next-runs preview in a schedule's zone, and the catalog's new job options.
import { describe, expect, it } from "vitest";
import { parseProject } from "../src/scheduler/catalog.ts";
import { arm, CATCH_UP_LIMIT, IDLE, tick, ticker, type CronState } from "../src/scheduler/cron-machine.ts";
import { parseSchedule } from "../src/scheduler/schedule.ts";
import { formatInZone, jitterOf, slotOfTick, slotsBetween, upcomingRuns, type CronSchedule } from "../src/scheduler/slots.ts";
import { lateTickLines } from "../src/scheduler/triage-decision.ts";
import { failureStreak, pauseOnFailureReason, pausesOnFailure } from "../src/scheduler/pause-on-failure.ts";
import { tickProperties, tickTrigger } from "../src/scheduler/host/tick-timers.ts";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
const cron = (expression: string, extra: Partial<CronSchedule> = {}, timezone = "UTC") =>
  ({ ...(parseSchedule(expression, timezone) as CronSchedule), ...extra });

describe("jitter", () => {
  const every5 = cron("*/5 * * * *", { jitterMillis: 60_000 });

  it("is fixed per job and slot, under the jitter and before the next slot", () => {
    const slot = at("2026-01-01T10:05:00Z");
    const j = jitterOf(every5, "p/a", slot);
    expect(j).toBe(jitterOf(every5, "p/a", slot)); // the same on every worker
    expect(j).toBeGreaterThanOrEqual(0);
    expect(j).toBeLessThan(60_000);
    // other jobs and other slots spread out
    const spread = new Set(["p/a", "p/b", "p/c", "p/d"].map((k) => jitterOf(every5, k, slot)));
    expect(spread.size).toBeGreaterThan(1);
    // a jitter longer than the gap to the next slot is capped by it, so the tick still stands for its slot
    const everySecond = cron("* * * * * *", { jitterMillis: 60_000 });
    for (const k of ["p/a", "p/b", "p/c"]) expect(jitterOf(everySecond, k, slot)).toBeLessThan(1000);
    expect(jitterOf(cron("*/5 * * * *"), "p/a", slot)).toBe(0);
  });

  it("arms the tick at slot + jitter, fires that slot there, and re-arms with the next slot's jitter", () => {
    const s = arm(IDLE, every5, at("2026-01-01T10:02:00Z"), () => 0, "p/a");
    const slot = at("2026-01-01T10:05:00Z");
    expect(s.nextTickAt).toBe(slot + jitterOf(every5, "p/a", slot));
    expect(slotOfTick(every5, s.nextTickAt!)).toBe(slot);
    expect(tick(s, every5, slot, "p/a").trigger).toBeNull(); // due only after its jitter (or exactly at the slot when it is 0)
    const fired = tick(s, every5, s.nextTickAt! + 200, "p/a");
    expect(fired.trigger).toMatchObject({ id: "cron:p/a:2026-01-01T10:05:00.000Z", slotAt: slot, lateMs: 200 });
    expect(fired.trigger!.jitterMs ?? 0).toBe(s.nextTickAt! - slot);
    const next = at("2026-01-01T10:10:00Z");
    expect(fired.state).toEqual({ lastSlotAt: slot, nextTickAt: next + jitterOf(every5, "p/a", next) });
    // the shared ticker computes each jittered job on its own
    const shared = ticker(s.nextTickAt! + 200)(s, every5, "p/a");
    expect(shared.state).toEqual(fired.state);
  });

  it("a jittered tick's triage log says its jitter", () => {
    const t = tickTrigger("p/a", { id: "cron:p/a:x", title: "t", slotAt: at("2026-01-01T10:05:00Z"), lateMs: 10, jitterMs: 1234 });
    expect(tickProperties(t)).toEqual({ slot: "2026-01-01T10:05:00.000Z", jitter_ms: 1234 });
    expect(lateTickLines(t.id, tickProperties(t))).toEqual(["trigger cron:p/a:x for slot 2026-01-01T10:05:00.000Z: jitter 1234 ms"]);
  });
});

describe("catch-up window", () => {
  const run = (state: CronState, schedule: CronSchedule, now: string) => tick(state, schedule, at(now), "p/job");

  it("without one: a single catch-up run for the newest missed slot (as before)", () => {
    const every5 = cron("*/5 * * * *");
    const s = arm(IDLE, every5, at("2026-01-01T10:02:00Z"), () => 0);
    const r = run(s, every5, "2026-01-01T11:17:00Z");
    expect(r.earlier).toEqual([]);
    expect(r.trigger).toMatchObject({ slotAt: at("2026-01-01T11:15:00Z"), skipped: { count: 14 } });
  });

  it("runs every slot missed within the window, each its own trigger, oldest first; older ones are skipped", () => {
    const every5 = cron("*/5 * * * *", { catchUpMillis: 20 * 60_000 });
    const s = arm(IDLE, every5, at("2026-01-01T10:02:00Z"), () => 0);
    // down from 10:02 to 11:17: slots 10:05 … 11:15 were missed; the window reaches back to 10:57
    const r = run(s, every5, "2026-01-01T11:17:00Z");
    expect(r.earlier.map((t) => iso(t.slotAt))).toEqual(["2026-01-01T11:00:00.000Z", "2026-01-01T11:05:00.000Z", "2026-01-01T11:10:00.000Z"]);
    expect(r.earlier.map((t) => t.id)).toEqual([
      "cron:p/job:2026-01-01T11:00:00.000Z", "cron:p/job:2026-01-01T11:05:00.000Z", "cron:p/job:2026-01-01T11:10:00.000Z"]);
    expect(r.trigger).toMatchObject({
      slotAt: at("2026-01-01T11:15:00Z"), caughtUp: 3, catchUpWindowMs: 1_200_000,
      skipped: { count: 11, from: at("2026-01-01T10:05:00Z"), to: at("2026-01-01T11:00:00Z") },
    });
    expect(r.state).toEqual({ lastSlotAt: at("2026-01-01T11:15:00Z"), nextTickAt: at("2026-01-01T11:20:00Z") });
    const lines = lateTickLines(r.trigger!.id, tickProperties(tickTrigger("p/job", r.trigger!)));
    expect(lines).toEqual([
      "trigger cron:p/job:2026-01-01T11:15:00.000Z for slot 2026-01-01T11:15:00.000Z fired 120000 ms late",
      "catch-up: 3 earlier missed slot(s) within the catch-up window run too, each its own trigger",
      "catch-up: skipped 11 slot(s) from 2026-01-01T10:05:00.000Z to before 2026-01-01T11:00:00.000Z: older than the catch-up window (1200 s)",
    ]);
    // the shared ticker names each job's triggers
    const shared = ticker(at("2026-01-01T11:17:00Z"))(s, every5, "p/other");
    expect(shared.earlier.map((t) => t.id)[0]).toBe("cron:p/other:2026-01-01T11:00:00.000Z");
  });

  it("runs nothing when even the newest missed slot is older than the window", () => {
    const daily = cron("0 3 * * *", { catchUpMillis: 3_600_000 });
    const s = arm(IDLE, daily, at("2026-01-01T02:00:00Z"), () => 0);
    const r = run(s, daily, "2026-01-01T05:00:00Z");
    expect(r.trigger).toBeNull();
    expect(r.earlier).toEqual([]);
    expect(r.state).toEqual({ lastSlotAt: at("2026-01-01T03:00:00Z"), nextTickAt: at("2026-01-02T03:00:00Z") });
  });

  it("runs at most CATCH_UP_LIMIT slots", () => {
    const everySecond = cron("* * * * * *", { catchUpMillis: 3_600_000 });
    const s = arm(IDLE, everySecond, at("2026-01-01T10:00:00Z"), () => 0);
    const r = run(s, everySecond, "2026-01-01T10:30:00Z");
    expect(r.earlier.length + 1).toBe(CATCH_UP_LIMIT);
    expect(iso(r.earlier[0]!.slotAt)).toBe("2026-01-01T10:28:21.000Z");
    expect(r.trigger!.skipped!.count).toBe(1800 - CATCH_UP_LIMIT);
  });

  it("a tick only a little late still fires as itself", () => {
    const every5 = cron("*/5 * * * *", { catchUpMillis: 3_600_000 });
    const s = arm(IDLE, every5, at("2026-01-01T10:02:00Z"), () => 0);
    const r = run(s, every5, "2026-01-01T10:05:30Z");
    expect(r.trigger).toMatchObject({ slotAt: at("2026-01-01T10:05:00Z"), lateMs: 30_000 });
    expect(r.trigger!.caughtUp).toBeUndefined();
    expect(r.earlier).toEqual([]);
  });
});

describe("slot ranges and the preview", () => {
  it("lists the slots of [from, to), bounded", () => {
    const every15 = cron("*/15 * * * *");
    expect(slotsBetween(every15, at("2026-01-01T10:00:00Z"), at("2026-01-01T11:00:00Z")).slots.map(iso)).toEqual([
      "2026-01-01T10:00:00.000Z", "2026-01-01T10:15:00.000Z", "2026-01-01T10:30:00.000Z", "2026-01-01T10:45:00.000Z"]);
    // any hour holds four
    expect(slotsBetween(every15, at("2026-01-01T10:07:13Z"), at("2026-01-01T11:07:13Z")).slots).toHaveLength(4);
    expect(slotsBetween(cron("* * * * * *"), at("2026-01-01T10:00:00Z"), at("2026-01-01T11:00:00Z"), 10))
      .toMatchObject({ more: true, slots: { length: 10 } });
  });

  it("previews the next 10 runs in the schedule's zone, across a DST change", () => {
    const berlin = cron("30 2 * * *", {}, "Europe/Berlin");
    const runs = upcomingRuns(berlin, "p/job", at("2026-03-27T12:00:00Z"));
    expect(runs).toHaveLength(10);
    expect(runs.slice(0, 3).map((r) => formatInZone(r.runAt, "Europe/Berlin"))).toEqual([
      "2026-03-28 02:30:00 CET",
      "2026-03-29 03:00:00 CEST", // 02:30 does not exist that night: the first instant after the gap
      "2026-03-30 02:30:00 CEST",
    ]);
    expect(runs.every((r) => r.runAt === r.slotAt)).toBe(true);
    const jittered = upcomingRuns({ ...berlin, jitterMillis: 600_000 }, "p/job", at("2026-03-27T12:00:00Z"));
    expect(jittered.map((r) => r.slotAt)).toEqual(runs.map((r) => r.slotAt));
    expect(jittered.every((r) => r.runAt - r.slotAt >= 0 && r.runAt - r.slotAt < 600_000)).toBe(true);
  });
});

describe("pause on failure", () => {
  it("pauses after N failures in a row from the newest; anything else breaks the streak", () => {
    expect(failureStreak([])).toBe(0);
    expect(failureStreak(["FAILED", "FAILED", "SUCCEEDED", "FAILED"])).toBe(2);
    expect(failureStreak(["FAILED", "ABORTED", "FAILED"])).toBe(1);
    expect(pausesOnFailure(3, ["FAILED", "FAILED", "FAILED"])).toBe(true);
    expect(pausesOnFailure(3, ["FAILED", "FAILED"])).toBe(false); // fewer than 3 since the last resume
    expect(pausesOnFailure(3, ["FAILED", "FAILED", "SUCCEEDED"])).toBe(false);
    expect(pausesOnFailure(undefined, ["FAILED", "FAILED", "FAILED"])).toBe(false);
    expect(pauseOnFailureReason(3)).toBe("paused after 3 consecutive failed invocations");
  });
});

describe("catalog options", () => {
  const file = (extra: string, schedule = '"*/5 * * * *"') =>
    parseProject("p.yaml", `jobs:\n  - id: j\n    schedule: ${schedule}\n    task: { kind: noop }\n${extra}`);

  it("reads jitter, catch_up_window and pause_after_failures", () => {
    const r = file("    jitter: 30s\n    catch_up_window: 2h\n    pause_after_failures: 3\n");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.project.jobs[0]!.schedule).toEqual({
      kind: "cron", expression: "*/5 * * * *", timezone: "UTC", jitterMillis: 30_000, catchUpMillis: 7_200_000 });
    expect(r.project.jobs[0]!.pauseAfterFailures).toBe(3);
    const plain = file("");
    expect(plain.ok && plain.project.jobs[0]!.pauseAfterFailures).toBeUndefined();
  });

  it("names the line and the reason of a bad option", () => {
    expect(file("    jitter: soon\n")).toMatchObject({ ok: false, errors: [{ line: 5, message: expect.stringMatching(/job "j": "soon" is not a duration/) }] });
    expect(file("    jitter: 2h\n")).toMatchObject({ ok: false, errors: [{ line: 5, message: 'job "j": jitter is from 1s to 1h' }] });
    expect(file("    catch_up_window: 1h\n", '"with 10m interval"')).toMatchObject({
      ok: false, errors: [{ line: 5, message: 'job "j": catch_up_window applies to cron schedules only' }] });
    expect(file("    pause_after_failures: 0\n")).toMatchObject({ ok: false, errors: [{ line: 5 }] });
    expect(file("    pause_after_failures: 2.5\n")).toMatchObject({ ok: false, errors: [{ line: 5, message: expect.stringMatching(/whole number/) }] });
  });
});
