// Schedules as Temporal users expect, on real PostgreSQL with an injected
// clock and a real worker: pause on failure, the catch-up window, jitter, the
// next-runs preview, and backfills (one after another, all at once, skipping
// slots that ran).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTriageOnce } from "../src/scheduler/host/triage.ts";
import { createTestEngine, ManualClock, type TestEngine } from "../src/testing.ts";
import { createWorker, type HourglassWorker } from "../src/worker/index.ts";
import { until } from "./helpers.ts";

const clock = new ManualClock(Date.parse("2026-01-01T10:02:00Z"));
const dir = mkdtempSync(join(tmpdir(), "hourglass-schedules-"));
let t: TestEngine;
let worker: HourglassWorker;

const PROJECT = `jobs:
  - id: flaky
    task: { kind: shell, command: sh, args: ["-c", "exit 3"] }
    pause_after_failures: 3
  - id: steady
    task: { kind: shell, command: sh, args: ["-c", "exit 3"] }
`;

beforeAll(async () => {
  t = await createTestEngine({ clock });
  writeFileSync(join(dir, "sch.yaml"), PROJECT);
  worker = createWorker(t.engine, {
    workerId: "schedules-worker", pollIntervalMs: 20, childEnv: { PATH: process.env.PATH! },
    scheduler: { projectsDir: dir, intervalMs: 1_000_000, catalogIntervalMs: 1_000_000 },
  });
  // syncs the catalog and creates the invocations queue once; the test runs the passes
  await worker.start();
  worker.scheduler!.stop();
});
afterAll(async () => {
  await worker?.stop();
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function settle() {
  while ((await runTriageOnce(t.engine.ctx)) > 0);
}
const finished = async (job: string) =>
  (await t.api.scheduler.getInvocations({ job, finishedOnly: true })).invocations;

/** Triggers the job and waits for that invocation to end; returns how many of its invocations have finished. */
async function runOnce(job: string, n: number): Promise<void> {
  await t.api.scheduler.triggerJob({ job, title: `run ${n}` });
  await settle();
  await until(async () => (await finished(job)).length >= n, `invocation ${n} of ${job} to end`);
}

describe("pause on failure", () => {
  it("pauses a job after 3 consecutive failed invocations, as system:scheduler, naming them", async () => {
    for (let n = 1; n <= 2; n++) await runOnce("sch/flaky", n);
    expect((await t.api.scheduler.getJob({ job: "sch/flaky" })).paused).toBeNull();
    await runOnce("sch/flaky", 3);
    const job = await t.api.scheduler.getJob({ job: "sch/flaky" });
    expect(job).toMatchObject({
      state: "PAUSED", paused: { byWho: "system:scheduler", reason: "paused after 3 consecutive failed invocations" },
    });
    const failed = (await finished("sch/flaky")).map((i) => i.id);
    const events = (await t.engine.events.history("scheduler_job", "sch/flaky", { limit: 50 })).events;
    const paused = events.filter((e) => e.action === "paused");
    expect(paused).toEqual([expect.objectContaining({
      from: "ACTIVE", to: "PAUSED", actor: "system:scheduler",
      reason: "paused after 3 consecutive failed invocations", payload: { failedInvocations: failed },
    })]);
    // a paused job ignores triggers, as an operator's pause does
    expect(await t.api.scheduler.emitTriggers({ batches: [{ trigger: { id: "while-paused" }, jobs: ["sch/flaky"] }] }))
      .toEqual({ accepted: 0, ignored: 1 });
  });

  it("counts afresh after a resume, and a job without the option never pauses", async () => {
    clock.advance(60_000);
    await t.api.scheduler.resumeJob({ job: "sch/flaky", reason: "fixed" });
    await runOnce("sch/flaky", 4);
    expect((await t.api.scheduler.getJob({ job: "sch/flaky" })).paused).toBeNull(); // 1 failure since the resume
    for (let n = 1; n <= 4; n++) await runOnce("sch/steady", n);
    expect((await t.api.scheduler.getJob({ job: "sch/steady" })).paused).toBeNull();
  });
});

describe("backfill", () => {
  const PROJECT2 = `jobs:
  - id: every15
    schedule: "*/15 * * * *"
    task: { kind: shell, command: sh, args: ["-c", "echo backfilled"] }
    triggering_policy: { kind: GREEDY_BATCHING, max_concurrent_invocations: 10 }
  - id: every15-fails
    schedule: "*/15 * * * *"
    task: { kind: shell, command: sh, args: ["-c", "exit 1"] }
    pause_after_failures: 2
  - id: interval
    schedule: "with 10m interval"
    task: { kind: noop }
`;
  const hour = { fromTimestampMillis: Date.parse("2026-01-01T08:00:00Z"), toTimestampMillis: Date.parse("2026-01-01T09:00:00Z") };
  const slots = ["08:00", "08:15", "08:30", "08:45"].map((hm) => `2026-01-01T${hm}:00.000Z`);
  const slotsOf = async (job: string) => (await t.api.scheduler.getInvocations({ job, pageSize: 50 })).invocations
    .map((i) => i.id);
  const slotProperty = async (job: string, id: string) =>
    ((await t.api.scheduler.getInvocation({ job, invocationId: id })).properties as { slot?: string }).slot;

  beforeAll(async () => {
    writeFileSync(join(dir, "bf.yaml"), PROJECT2);
    const { syncCatalog } = await import("../src/scheduler/host/catalog-sync.ts");
    await syncCatalog(t.engine.ctx, dir);
    await settle();
  });

  it("a dry run counts the slots and writes nothing; bad ranges are 400s that say why", async () => {
    const plan = await t.api.scheduler.backfill({ job: "bf/every15", ...hour, dryRun: true });
    expect(plan).toEqual({
      backfillId: null, slots: 4, skipped: 0, started: 1,
      firstSlotTimestampMillis: Date.parse(slots[0]!), lastSlotTimestampMillis: Date.parse(slots[3]!),
    });
    expect((await t.api.scheduler.getBackfills({ job: "bf/every15" })).backfills).toEqual([]);
    const bad = async (input: object) => {
      const r = await t.mutate("scheduler.backfill", { job: "bf/every15", ...hour, ...input });
      return [r.status, r.error?.message];
    };
    expect(await bad({ toTimestampMillis: hour.fromTimestampMillis })).toEqual([400, expect.stringMatching(/from must be before to/)]);
    expect(await bad({ toTimestampMillis: clock.now().getTime() + 60_000 })).toEqual([400, expect.stringMatching(/covers the past/)]);
    expect(await bad({ fromTimestampMillis: Date.parse("2025-01-01T00:00:00Z") })).toEqual([400, expect.stringMatching(/more than 1000 slots/)]);
    expect(await bad({ fromTimestampMillis: Date.parse("2026-01-01T08:01:00Z"), toTimestampMillis: Date.parse("2026-01-01T08:14:00Z") }))
      .toEqual([400, expect.stringMatching(/no slot of "\*\/15 \* \* \* \*" \(UTC\) falls in the 13m/)]);
    expect(await bad({ overlap: "SOMETIMES" })).toEqual([400, expect.stringMatching(/overlap is SEQUENTIAL, CONCURRENT or SKIP/)]);
    expect((await t.mutate("scheduler.backfill", { job: "bf/interval", ...hour })).error.message).toMatch(/no cron schedule/);
    expect((await t.mutate("scheduler.backfill", { job: "bf/ghost", ...hour })).status).toBe(404);
  });

  it("SEQUENTIAL runs one invocation per slot, one after another, as one batch with progress", async () => {
    const plan = await t.api.scheduler.backfill({ job: "bf/every15", ...hour, reason: "outage on 1 January" });
    expect(plan).toMatchObject({ slots: 4, skipped: 0, started: 1, backfillId: expect.stringMatching(/^\d+$/) });
    const id = plan.backfillId!;
    // at most one runs at a time: the next starts when the one before ended
    const first = await t.api.scheduler.getBackfill({ job: "bf/every15", backfillId: id });
    expect(first.slotList.filter((s) => s.state === "STARTED")).toHaveLength(1);
    expect(first).toMatchObject({ state: "RUNNING", slots: 4, pending: 3, overlap: "SEQUENTIAL", createdBy: "test", reason: "outage on 1 January" });
    await until(async () => (await t.api.scheduler.getBackfill({ job: "bf/every15", backfillId: id })).state === "DONE", "the backfill to finish");
    const done = await t.api.scheduler.getBackfill({ job: "bf/every15", backfillId: id });
    expect(done).toMatchObject({ slots: 4, pending: 0, skipped: 0, active: 0, succeeded: 4, failed: 0 });
    expect(done.slotList.map((s) => [new Date(s.slotTimestampMillis).toISOString(), s.state, s.invocationState])).toEqual(
      slots.map((s) => [s, "STARTED", "SUCCEEDED"]));
    const ids = done.slotList.map((s) => s.invocationId!);
    expect(await Promise.all(ids.map((i) => slotProperty("bf/every15", i)))).toEqual(slots);
    const inv = await t.api.scheduler.getInvocation({ job: "bf/every15", invocationId: ids[1]! });
    expect(inv).toMatchObject({ triggeredBy: `backfill:${id}`, tags: ["backfill"] });
    expect(inv.incomingTriggers).toEqual([expect.objectContaining({ id: `backfill:${id}:${slots[1]}`, emittedBy: "test" })]);
    // one after another: each started after the one before it ended
    const histories = await Promise.all(ids.map((i) => t.engine.events.history("invocation", i, { limit: 20 })));
    const created = histories.map((h) => h.events.find((e) => e.action === "created")!);
    expect(created.map((e) => e.actor)).toEqual(["test", "system:scheduler", "system:scheduler", "system:scheduler"]);
    expect(created[2]!.reason).toBe(`backfill ${id}: slot ${slots[2]}`);
    const endedId = (h: typeof histories[number]) => BigInt(h.events.find((e) => e.action === "succeeded")!.id);
    for (let k = 1; k < 4; k++) expect(BigInt(created[k]!.id) > endedId(histories[k - 1]!)).toBe(true);
    // the operator's event
    const events = (await t.engine.events.history("scheduler_job", "bf/every15", { limit: 50 })).events;
    expect(events.filter((e) => e.action === "backfilled")).toEqual([expect.objectContaining({
      actor: "test", reason: "outage on 1 January",
      payload: expect.objectContaining({ backfill: id, overlap: "SEQUENTIAL", slots: 4, skipped: 0 }),
    })]);
    expect((await t.api.scheduler.getBackfills({ job: "bf/every15" })).backfills.map((b) => [b.id, b.state])).toEqual([[id, "DONE"]]);
  });

  it("SKIP passes over the slots that already ran; CONCURRENT starts them all at once", async () => {
    const wider = { fromTimestampMillis: Date.parse("2026-01-01T07:30:00Z"), toTimestampMillis: hour.toTimestampMillis };
    const skip = await t.api.scheduler.backfill({ job: "bf/every15", ...wider, overlap: "SKIP" });
    expect(skip).toMatchObject({ slots: 6, skipped: 4, started: 1 });
    await until(async () => (await t.api.scheduler.getBackfill({ job: "bf/every15", backfillId: skip.backfillId! })).state === "DONE", "SKIP to finish");
    const skipped = await t.api.scheduler.getBackfill({ job: "bf/every15", backfillId: skip.backfillId! });
    expect(skipped.slotList.map((s) => s.state)).toEqual(["STARTED", "STARTED", "SKIPPED", "SKIPPED", "SKIPPED", "SKIPPED"]);
    expect(skipped).toMatchObject({ succeeded: 2, skipped: 4 });

    const before = (await slotsOf("bf/every15")).length;
    const all = await t.api.scheduler.backfill({ job: "bf/every15", ...hour, overlap: "CONCURRENT" });
    expect(all).toMatchObject({ slots: 4, started: 4 });
    const running = await t.api.scheduler.getBackfill({ job: "bf/every15", backfillId: all.backfillId! });
    expect(running.pending).toBe(0); // every slot's invocation exists from the start
    expect((await slotsOf("bf/every15")).length).toBe(before + 4);
    await until(async () => (await t.api.scheduler.getBackfill({ job: "bf/every15", backfillId: all.backfillId! })).state === "DONE", "CONCURRENT to finish");
  });

  it("a SEQUENTIAL backfill of a job that pauses itself on failure stops there", async () => {
    const plan = await t.api.scheduler.backfill({ job: "bf/every15-fails", ...hour });
    await until(async () => (await t.api.scheduler.getBackfill({ job: "bf/every15-fails", backfillId: plan.backfillId! })).state === "STOPPED",
      "the backfill to stop");
    const stopped = await t.api.scheduler.getBackfill({ job: "bf/every15-fails", backfillId: plan.backfillId! });
    expect(stopped).toMatchObject({ failed: 2, pending: 2, active: 0 });
    expect((await t.api.scheduler.getJob({ job: "bf/every15-fails" })).paused?.byWho).toBe("system:scheduler");
    expect((await t.mutate("scheduler.backfill", { job: "bf/every15-fails", ...hour })).error.message).toMatch(/paused: resume it first/);
  });
});

describe("preview, jitter and the catch-up window through the host", () => {
  it("getJob previews the next 10 runs with their jitter, in the schedule's zone", async () => {
    writeFileSync(join(dir, "pv.yaml"), `jobs:
  - id: berlin
    schedule: "30 2 * * *"
    timezone: Europe/Berlin
    jitter: 10m
    task: { kind: noop }
  - id: caught-up
    schedule: "*/5 * * * *"
    catch_up_window: 12m
    task: { kind: noop }
    triggering_policy: { kind: GREEDY_BATCHING, max_batch_size: 1 }
`);
    const { syncCatalog } = await import("../src/scheduler/host/catalog-sync.ts");
    await syncCatalog(t.engine.ctx, dir);
    const job = await t.api.scheduler.getJob({ job: "pv/berlin" });
    expect(job.upcoming!.timezone).toBe("Europe/Berlin");
    expect(job.upcoming!.runs).toHaveLength(10);
    const { jitterOf } = await import("../src/scheduler/slots.ts");
    const schedule = job.definition.schedule as Parameters<typeof jitterOf>[0];
    for (const r of job.upcoming!.runs) expect(r.runAt).toBe(r.slotAt + jitterOf(schedule, "pv/berlin", r.slotAt));
    expect(job.nextRunTimestampMillis).toBe(job.upcoming!.runs[0]!.runAt); // armed with its jitter
    expect((await t.api.scheduler.getJob({ job: "sch/flaky" })).upcoming).toBeNull();
  });

  it("after downtime, every slot missed within the catch-up window runs, each its own invocation", async () => {
    const { runTicksOnce } = await import("../src/scheduler/host/ticks.ts");
    await settle();
    const armed = (await t.api.scheduler.getJob({ job: "pv/caught-up" })).nextRunTimestampMillis!;
    clock.set(armed + 31 * 60_000); // down for half an hour: 7 slots missed, 2 of them (and the newest) within 12 minutes
    while ((await runTicksOnce(t.engine.ctx)).fired > 0);
    await settle();
    // one at a time (max_concurrent_invocations 1): each end leaves the next pending trigger to triage
    await until(async () => (await settle(), (await finished("pv/caught-up")).length === 3), "the caught-up slots to run");
    const runs = await Promise.all((await finished("pv/caught-up")).map((i) => slotPropertyOf("pv/caught-up", i.id)));
    const iso = (ms: number) => new Date(ms).toISOString();
    expect(runs.sort()).toEqual([armed + 20 * 60_000, armed + 25 * 60_000, armed + 30 * 60_000].map(iso));
    // the newest slot's trigger says what the catch-up ran and passed over
    const props = await Promise.all((await finished("pv/caught-up")).map(async (i) =>
      ((await t.api.scheduler.getInvocation({ job: "pv/caught-up", invocationId: i.id })).incomingTriggers as { properties: object }[])[0]!.properties));
    expect(props).toContainEqual(expect.objectContaining({
      slot: iso(armed + 30 * 60_000), caught_up_slots: 2, skipped_slots: 4, catch_up_window_ms: 720_000,
      skipped_from: iso(armed), skipped_to: iso(armed + 20 * 60_000),
    }));
  });
});

const slotPropertyOf = async (job: string, id: string) => {
  const inv = await t.api.scheduler.getInvocation({ job, invocationId: id });
  return (inv.incomingTriggers as { properties: { slot: string } }[])[0]!.properties.slot;
};
