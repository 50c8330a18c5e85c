// The scheduler's event log on real PostgreSQL with an injected clock: every
// invocation, trigger and job-pause transition writes exactly one event with
// the right actor; a transition whose guard fails, or that rolls back, writes
// none; an invocation's history is complete and paginated (the migration of
// old debug logs gives one more than 20 entries).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventInfo } from "../src/events/types.ts";
import { finishInTransaction, InvocationRunner } from "../src/scheduler/host/invocations.ts";
import { runTicksOnce } from "../src/scheduler/host/ticks.ts";
import { runTriageOnce } from "../src/scheduler/host/triage.ts";
import { decideTriage } from "../src/scheduler/triage-decision.ts";
import { triggerEntityId } from "../src/scheduler/trigger-states.ts";
import { withTransaction } from "../src/transaction.ts";
import { createTestEngine, ManualClock, type TestEngine } from "../src/testing.ts";
import { createWorker, type HourglassWorker } from "../src/worker/index.ts";
import { until } from "./helpers.ts";

const clock = new ManualClock(Date.parse("2026-03-01T08:00:30Z"));
const dir = mkdtempSync(join(tmpdir(), "hourglass-sched-events-"));
let t: TestEngine;
let worker: HourglassWorker;
const WORKER = "worker:ev-worker";
const SYSTEM = "system:scheduler";

beforeAll(async () => {
  t = await createTestEngine({ clock });
  writeFileSync(join(dir, "ev.yaml"), `jobs:
  - id: chained
    task: { kind: noop }
    triggers: [after]
  - id: after
    task: { kind: noop }
  - id: minutely
    schedule: "* * * * *"
    task: { kind: noop }
  - id: slow
    task: { kind: shell, command: sleep, args: ["30"] }
  - id: idle
    task: { kind: noop }
`);
  worker = createWorker(t.engine, {
    workerId: "ev-worker", pollIntervalMs: 20, childEnv: { PATH: process.env.PATH! },
    scheduler: { projectsDir: dir, intervalMs: 1_000_000, catalogIntervalMs: 1_000_000 },
  });
  await worker.start(); // syncs the catalog and creates the invocations queue once; the test runs ticks and triage
  worker.scheduler!.stop();
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

const history = async (kind: string, id: string): Promise<EventInfo[]> =>
  (await t.engine.events.history(kind as "invocation", id, { limit: 500 })).events;
const brief = (e: EventInfo) => [e.action, e.from, e.to, e.actor];
const triggerEvents = (job: string, triggerId: string) => history("trigger", triggerEntityId(job, triggerId));
/** The scheduler's events so far (queue jobs' events, e.g. a carrier's ack, come and go on their own). */
const countEvents = async () => (await t.db.sql.query<{ n: number }>(
  `SELECT count(*)::int AS n FROM event_log WHERE entity_kind IN ('invocation', 'trigger', 'scheduler_job')`)).rows[0]!.n;
async function settle() {
  while ((await runTriageOnce(t.engine.ctx)) > 0);
}
const newest = async (job: string) => (await t.api.scheduler.getInvocations({ job })).invocations[0]!;
const stateOf = async (job: string, id: string) => (await t.api.scheduler.getInvocation({ job, invocationId: id })).state;

describe("triggers and invocations through triage", () => {
  it("emitted by the caller, consumed by triage; the invocation is created, launched and succeeds, one event each", async () => {
    await settle(); // the catalog load asked for triage
    expect(await t.api.scheduler.emitTriggers({ batches: [{ trigger: { id: "go-1", title: "deploy" }, jobs: ["ev/chained"] }] }))
      .toEqual({ accepted: 1, ignored: 0 });
    expect((await triggerEvents("ev/chained", "go-1")).map(brief)).toEqual([["emitted", null, "PENDING", "test"]]);
    // a repeated id is ignored and records nothing
    const before = await countEvents();
    expect(await t.api.scheduler.emitTriggers({ batches: [{ trigger: { id: "go-1" }, jobs: ["ev/chained"] }] })).toEqual({ accepted: 0, ignored: 1 });
    expect(await countEvents()).toBe(before);

    await settle();
    const inv = await newest("ev/chained");
    await until(async () => (await stateOf("ev/chained", inv.id)) === "SUCCEEDED", "the invocation to succeed");
    const events = await history("invocation", inv.id);
    expect(events.map(brief)).toEqual([
      ["created", null, "STARTING", SYSTEM],
      ["launched", "STARTING", "RUNNING", WORKER],
      ["succeeded", "RUNNING", "SUCCEEDED", WORKER],
    ]);
    expect(events.every((e) => e.project === "ev" && e.payload?.job === "ev/chained")).toBe(true);
    expect((await triggerEvents("ev/chained", "go-1")).map(brief)).toEqual([
      ["emitted", null, "PENDING", "test"],
      ["consumed", "PENDING", "CONSUMED", SYSTEM],
    ]);
    // its success triggered the next job: a trigger the scheduler emitted
    expect((await triggerEvents("ev/after", `invocation:${inv.id}`)).map(brief)).toEqual([["emitted", null, "PENDING", SYSTEM]]);
    await settle();
    await until(async () => (await newest("ev/after"))?.state === "SUCCEEDED", "the triggered job to run");
  });

  it("a stale end (RUNNING → SUCCEEDED of an invocation that already ended) writes nothing", async () => {
    const inv = await newest("ev/chained");
    const before = await countEvents();
    const ended = await withTransaction(t.db.pool, (sql) => finishInTransaction(sql, clock.now(),
      [{ id: inv.id, jobKey: "ev/chained", to: "SUCCEEDED", from: ["RUNNING"], actor: WORKER }]));
    expect(ended).toEqual([false]);
    expect(await countEvents()).toBe(before);
  });

  it("a transition that rolls back leaves neither its change nor its event", async () => {
    await t.api.scheduler.emitTriggers({ batches: [{ trigger: { id: "rolled-back" }, jobs: ["ev/slow"] }] });
    await t.engine.internal.queues.pauseQueue({ id: "test" }, "hourglass_invocations"); // the worker must not launch it
    try {
      await settle();
      const inv = await newest("ev/slow");
      const before = await countEvents();
      await expect(withTransaction(t.db.pool, async (sql) => {
        expect(await finishInTransaction(sql, clock.now(), [{ id: inv.id, jobKey: "ev/slow", to: "ABORTED", from: ["STARTING"], by: "test" }]))
          .toEqual([true]);
        throw new Error("the caller gives up");
      })).rejects.toThrow("the caller gives up");
      expect(await countEvents()).toBe(before);
      expect(await stateOf("ev/slow", inv.id)).toBe("STARTING");
      // an operator's abort of a STARTING invocation: one event, from the state it left
      expect(await t.api.scheduler.abortInvocation({ job: "ev/slow", invocationId: inv.id })).toEqual({ aborted: true });
      expect((await history("invocation", inv.id)).map(brief).slice(1)).toEqual([["aborted", "STARTING", "ABORTED", "test"]]);
    } finally {
      await t.engine.internal.queues.resumeQueue({ id: "test" }, "hourglass_invocations");
    }
  });
});

describe("operator actions", () => {
  it("abort: the running invocation ends once, recorded as the caller; aborting it again records nothing", async () => {
    await t.api.scheduler.emitTriggers({ batches: [{ trigger: { id: "slow-1" }, jobs: ["ev/slow"] }] });
    await settle();
    const inv = await newest("ev/slow");
    await until(async () => (await stateOf("ev/slow", inv.id)) === "RUNNING", "the slow task to run");
    expect(await t.api.scheduler.abortInvocation({ job: "ev/slow", invocationId: inv.id })).toEqual({ aborted: true });
    // the worker kills the task and records its run, after the invocation ended (what a live page refetches on)
    await until(async () => (await history("invocation", inv.id)).some((e) => e.action === "task_ended"), "the killed run");
    const before = await countEvents();
    expect(await t.api.scheduler.abortInvocation({ job: "ev/slow", invocationId: inv.id })).toEqual({ aborted: false });
    expect(await countEvents()).toBe(before);
    const events = await history("invocation", inv.id);
    expect(events.map(brief)).toEqual([
      ["created", null, "STARTING", SYSTEM],
      ["launched", "STARTING", "RUNNING", WORKER],
      ["aborted", "RUNNING", "ABORTED", "test"],
      ["task_ended", null, null, WORKER],
    ]);
    expect(events[3]).toMatchObject({ reason: "the invocation was aborted", payload: { outcome: "ABORTED", state: "ABORTED" } });
    // abortJob with nothing active is no action: no event
    expect(await t.api.scheduler.abortJob({ job: "ev/slow" })).toEqual({ aborted: 0 });
    expect(await countEvents()).toBe(before);
  });

  it("abortJob records the job's action and each invocation's end", async () => {
    await t.api.scheduler.emitTriggers({ batches: [{ trigger: { id: "slow-2" }, jobs: ["ev/slow"] }] });
    await settle();
    const inv = await newest("ev/slow");
    await until(async () => (await stateOf("ev/slow", inv.id)) === "RUNNING", "the slow task to run");
    expect(await t.api.scheduler.abortJob({ job: "ev/slow" })).toEqual({ aborted: 1 });
    const job = await history("scheduler_job", "ev/slow");
    expect(job.map(brief)).toEqual([["aborted", null, null, "test"]]);
    expect(job[0]!.payload).toEqual({ invocations: [inv.id] });
    expect((await history("invocation", inv.id)).find((e) => e.action === "aborted"))
      .toMatchObject({ from: "RUNNING", actor: "test", reason: "its job was aborted" });
    // its killed task's run is recorded after the abort; wait, so the event does not land in a later test's count
    await until(async () => (await history("invocation", inv.id)).some((e) => e.action === "task_ended"), "the killed run");
  });

  it("pause discards pending triggers (with the reason) and resume re-arms; a repeated pause or resume records nothing", async () => {
    await t.api.scheduler.emitTriggers({ batches: [{ trigger: { id: "held" }, jobs: ["ev/idle"] }] });
    await t.api.scheduler.pauseJob({ job: "ev/idle", reason: "maintenance" });
    const before = await countEvents();
    await t.api.scheduler.pauseJob({ job: "ev/idle", reason: "again" });
    expect(await countEvents()).toBe(before);
    await settle();
    expect((await triggerEvents("ev/idle", "held")).map((e) => [e.action, e.to, e.reason, e.actor])).toEqual([
      ["emitted", "PENDING", "", "test"],
      ["discarded", "DISCARDED", "job is paused", SYSTEM],
    ]);
    // a trigger for a paused job is ignored: no row, no event
    const paused = await countEvents();
    expect(await t.api.scheduler.emitTriggers({ batches: [{ trigger: { id: "ignored" }, jobs: ["ev/idle"] }] })).toEqual({ accepted: 0, ignored: 1 });
    expect(await t.api.scheduler.triggerJob({ job: "ev/idle" })).toEqual({ accepted: 0, ignored: 1 });
    expect(await countEvents()).toBe(paused);
    await t.api.scheduler.resumeJob({ job: "ev/idle", reason: "done" });
    await t.api.scheduler.resumeJob({ job: "ev/idle", reason: "twice" });
    expect((await history("scheduler_job", "ev/idle")).map((e) => [e.action, e.from, e.to, e.reason, e.actor])).toEqual([
      ["paused", "ACTIVE", "PAUSED", "maintenance", "test"],
      ["resumed", "PAUSED", "ACTIVE", "done", "test"],
    ]);
  });

  it("a manual trigger records the job's `triggered` and the trigger's `emitted`", async () => {
    await settle();
    expect(await t.api.scheduler.triggerJob({ job: "ev/idle", title: "by hand" })).toEqual({ accepted: 1, ignored: 0 });
    const [triggered] = (await history("scheduler_job", "ev/idle")).slice(-1);
    expect(triggered).toMatchObject({ action: "triggered", reason: "by hand", actor: "test" });
    const id = triggered!.payload!.trigger as string;
    expect((await triggerEvents("ev/idle", id)).map(brief)).toEqual([["emitted", null, "PENDING", "test"]]);
    await settle();
    await until(async () => (await newest("ev/idle"))?.state === "SUCCEEDED", "the manual run");
  });
});

describe("cron ticks", () => {
  it("a quiet job's tick timer: the invocation is created RUNNING by the worker, its created event carries the tick", async () => {
    await settle();
    clock.set(Date.parse("2026-03-01T08:00:52Z"));
    await runTicksOnce(t.engine.ctx); // arms the 08:01 timer
    clock.set(Date.parse("2026-03-01T08:01:00.050Z"));
    const slot = "cron:ev/minutely:2026-03-01T08:01:00.000Z";
    await until(async () => (await t.api.scheduler.getInvocations({ job: "ev/minutely" })).invocations.length > 0, "the timer to fire");
    const inv = await newest("ev/minutely");
    await until(async () => (await stateOf("ev/minutely", inv.id)) === "SUCCEEDED", "the tick's invocation to succeed");
    expect((await history("invocation", inv.id)).map(brief)).toEqual([
      ["created", null, "RUNNING", WORKER],
      ["succeeded", "RUNNING", "SUCCEEDED", WORKER],
    ]);
    // the tick, consumed on arrival, has no row and no event of its own (the cron hot path's compact choice)
    expect(await triggerEvents("ev/minutely", slot)).toEqual([]);
    const [created] = await history("invocation", inv.id);
    expect(created!.payload).toMatchObject({ job: "ev/minutely", triggers: 1, ticks: [{ id: slot, properties: { slot: "2026-03-01T08:01:00.000Z" } }] });
  });

  it("a tick the tick service fires is emitted PENDING, then consumed by triage", async () => {
    clock.set(Date.parse("2026-03-01T08:05:30Z")); // its 08:02 timer was never armed: the service fires the latest slot
    await runTicksOnce(t.engine.ctx);
    const slot = "cron:ev/minutely:2026-03-01T08:05:00.000Z";
    expect((await triggerEvents("ev/minutely", slot)).map(brief)).toEqual([["emitted", null, "PENDING", SYSTEM]]);
    await settle();
    expect((await triggerEvents("ev/minutely", slot)).map(brief)).toEqual([
      ["emitted", null, "PENDING", SYSTEM],
      ["consumed", "PENDING", "CONSUMED", SYSTEM],
    ]);
    await until(async () => (await newest("ev/minutely")).state === "SUCCEEDED", "its invocation to succeed");
  });
});

describe("lost launches", () => {
  it("RUNNING → RETRYING → RUNNING per lost launch, then FAILED when lost once too often", async () => {
    await t.engine.internal.queues.pauseQueue({ id: "test" }, "hourglass_invocations"); // the test plays the carrier's runs
    try {
      await t.api.scheduler.emitTriggers({ batches: [{ trigger: { id: "lost" }, jobs: ["ev/slow"] }] });
      await settle();
      const inv = await newest("ev/slow");
      const runner = new InvocationRunner(t.engine.ctx, { baseEnv: { PATH: process.env.PATH! } }, { actor: "worker:other" });
      const carrier = { jobDescriptor: "hourglass_invocations:0", queueName: "hourglass_invocations", body: inv.id, attempt: 1, attemptsRemaining: 4 };
      const launches = async () => (await history("invocation", inv.id)).filter((e) => e.action === "launched").length;
      // four runs of its carrier, each stopped by its worker's shutdown: the launch is lost, the invocation stays RUNNING
      for (let k = 0; k < 4; k++) {
        const shutdown = new AbortController();
        const run = runner.run({ ...carrier, attempt: k + 1 }, shutdown.signal);
        await until(async () => (await launches()) === k + 1, `launch ${k + 1}`);
        shutdown.abort();
        await expect(run).rejects.toThrow("interrupted by worker shutdown");
        expect(await stateOf("ev/slow", inv.id)).toBe("RUNNING");
      }
      // the fifth run finds it lost a fourth time: LAUNCH_RETRY_LIMIT (3) is spent
      await runner.run({ ...carrier, attempt: 5 }, new AbortController().signal);
      expect((await history("invocation", inv.id)).map((e) => [...brief(e), e.payload?.retry ?? null])).toEqual([
        ["created", null, "STARTING", SYSTEM, null],
        ["launched", "STARTING", "RUNNING", "worker:other", null],
        ["task_ended", null, null, "worker:other", null], // each run cut by the shutdown is recorded
        ...[1, 2, 3].flatMap((n) => [
          ["retrying", "RUNNING", "RETRYING", "worker:other", n],
          ["launched", "RETRYING", "RUNNING", "worker:other", null],
          ["task_ended", null, null, "worker:other", null],
        ]),
        ["failed", "RUNNING", "FAILED", "worker:other", null],
      ]);
      expect((await history("invocation", inv.id)).at(-1)!.reason).toBe("launch lost 4 times");
    } finally {
      await t.engine.internal.queues.resumeQueue({ id: "test" }, "hourglass_invocations");
    }
  });
});

describe("invocation history", () => {
  it("migrated debug logs: more than 20 entries, paginated, complete; the migration adds nothing when run again", async () => {
    const lines = Array.from({ length: 23 }, (_, i) => `[23:59:${String(30 + i).padStart(2, "0")}.000] step ${i + 1}\n`).join("")
      + "[23:59:58.000] stdout:\nsome output\n[00:00:01.500] invocation SUCCEEDED\n";
    const { rows: [old] } = await t.db.sql.query<{ id: string }>(
      `INSERT INTO scheduler_invocation (job_key, state, revision, task, triggered_by, started_at, finished_at, debug_log)
       VALUES ('ev/idle', 'SUCCEEDED', 'old', '{"kind":"noop"}', 'seed', '2026-02-27T23:59:29Z', '2026-02-28T00:00:01.500Z', $1)
       RETURNING id::text AS id`, [lines]);
    const migration = readFileSync(join(import.meta.dirname, "../../../prisma/migrations/20261202010000_invocation_events/migration.sql"), "utf8");
    const before = await countEvents();
    await t.db.sql.query(migration);
    expect(await countEvents()).toBe(before + 25); // 23 steps, the stdout header, the end; the output line is not an event
    await t.db.sql.query(migration);
    expect(await countEvents()).toBe(before + 25);

    const pages: EventInfo[][] = [];
    let after: string | undefined;
    do {
      const page = await t.api.scheduler.invocationHistory({ job: "ev/idle", invocationId: old!.id, after, limit: 10 });
      expect(page.total).toBe(25);
      pages.push(page.events);
      after = page.next ?? undefined;
    } while (after);
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    const all = pages.flat();
    expect(all.slice(0, 23).map((e) => e.reason)).toEqual(Array.from({ length: 23 }, (_, i) => `step ${i + 1}`));
    expect(all[0]).toMatchObject({ action: "log", atTimestampMillis: Date.parse("2026-02-27T23:59:30Z"), actor: "system:migration" });
    // the end crossed midnight: its line is dated the next day, and is read as the transition it names
    expect(all[24]).toMatchObject({ action: "succeeded", to: "SUCCEEDED", atTimestampMillis: Date.parse("2026-02-28T00:00:01.500Z") });
    // one page of the default size holds them all
    expect((await t.api.scheduler.invocationHistory({ job: "ev/idle", invocationId: old!.id })).events).toHaveLength(25);
  });

  it("answers only for an invocation of the job named", async () => {
    const other = await newest("ev/chained");
    const r = await t.query("scheduler.invocationHistory", { job: "ev/idle", invocationId: other.id });
    expect([r.status, r.error.data.errorCode]).toEqual([404, "INVOCATION_NOT_FOUND"]);
    const bad = await t.query("scheduler.invocationHistory", { job: "ev/idle", invocationId: other.id, after: "x" });
    expect(bad.status).toBe(400);
  });
});

describe("the triage decision", () => {
  it("gives each discard its reason", () => {
    const say: string[] = [];
    const pending = [0, 900, 950].map((at, i) => ({ id: `r${i}`, triggerId: `t${i}`, createdAt: at, emittedBy: "user:x", properties: {} }));
    const d = decideTriage({
      policy: { kind: "NEWEST_FIRST", maxConcurrentInvocations: 1, pendingTimeoutMillis: 500 }, blocked: null, pending, active: 0, now: 1000,
    }, { say: (m) => say.push(m) });
    expect(d.requests.map((r) => r.map((x) => x.triggerId))).toEqual([["t2"]]);
    expect(d.discard.map((x) => [x.trigger.triggerId, x.reason])).toEqual([["t0", "pending longer than 500 ms (NEWEST_FIRST)"]]);
    expect(say).toEqual(["3 pending trigger(s), 0 active invocation(s)", "policy NEWEST_FIRST: 1 invocation(s) to start, 1 trigger(s) to discard"]);
    const paused = decideTriage({ policy: { kind: "GREEDY_BATCHING", maxConcurrentInvocations: 1, maxBatchSize: 10 }, blocked: "paused", pending, active: 0, now: 1000 }, { say: () => {} });
    expect(paused).toEqual({ requests: [], discard: pending.map((trigger) => ({ trigger, reason: "job is paused" })) });
  });
});
