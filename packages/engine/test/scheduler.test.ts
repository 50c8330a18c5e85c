// The scheduler on real PostgreSQL with an injected clock: catalog sync,
// ticks (duplicates, concurrent tickers, catch-up), triage, invocations run by
// the worker, job-to-job triggers, emitTriggers idempotency, pause / resume, abort.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncCatalog } from "../src/scheduler/host/catalog-sync.ts";
import { runTicksOnce } from "../src/scheduler/host/ticks.ts";
import { runTriageOnce } from "../src/scheduler/host/triage.ts";
import { fireTimers, LOST_TIMER_MS } from "../src/scheduler/host/tick-timers.ts";
import { InvocationRunner } from "../src/scheduler/host/invocations.ts";
import { withTransaction } from "../src/transaction.ts";
import { createTestEngine, ManualClock, type TestEngine } from "../src/testing.ts";
import { QueueWorker, SchedulerLoops } from "../src/worker/index.ts";
import { until } from "./helpers.ts";

const clock = new ManualClock(Date.parse("2026-01-01T10:02:00Z"));
const dir = mkdtempSync(join(tmpdir(), "hourglass-projects-"));
let t: TestEngine;
let worker: QueueWorker;

const PROJECT = `jobs:
  - id: every5
    schedule: "*/5 * * * *"
    task: { kind: shell, command: sh, args: ["-c", "echo tick $HOURGLASS_JOB_BODY"] }
    triggers: [after]
  - id: after
    task: { kind: noop }
  - id: slow
    task: { kind: shell, command: sleep, args: ["30"] }
`;

beforeAll(async () => {
  t = await createTestEngine({ clock });
  writeFileSync(join(dir, "ops.yaml"), PROJECT);
  const loops = new SchedulerLoops(t.engine, { projectsDir: dir, intervalMs: 1_000_000, catalogIntervalMs: 1_000_000 });
  await loops.start(); // creates the invocations queue and syncs once; the long intervals leave the passes to the test
  loops.stop();
  worker = new QueueWorker(t.engine, {
    workerId: "sched-worker", pollIntervalMs: 20, childEnv: { PATH: process.env.PATH! },
    handlers: loops.handlers({ baseEnv: { PATH: process.env.PATH! } }), claimAheadMs: loops.claimAheadMs,
  });
  await worker.start();
});
afterAll(async () => {
  await worker?.stop();
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every trigger a job received, oldest first: its trigger rows, plus ticks consumed on arrival (recorded only in their invocation). */
const triggersOf = async (job: string) => (await t.db.sql.query(
  `SELECT id FROM (
     SELECT trigger_id AS id, created_at AS at FROM scheduler_trigger WHERE job_key = $1
     UNION
     SELECT t->>'id', to_timestamp((t->>'createdAt')::bigint / 1000.0) FROM scheduler_invocation i, jsonb_array_elements(i.incoming_triggers) t WHERE i.job_key = $1
   ) x ORDER BY at, id`, [job])).rows.map((r) => r.id);
const timerOf = async (job: string) => (await t.db.sql.query(
  `SELECT j.tick_timer_id::text AS id, q.run_after, q.state FROM scheduler_job j LEFT JOIN queue_job q ON q.id = j.tick_timer_id WHERE j.key = $1`, [job])).rows[0];
const invocations = (job: string) => t.api.scheduler.getInvocations({ job });
async function settle() {
  while ((await runTriageOnce(t.engine.ctx)) > 0);
}

describe("catalog", () => {
  it("loads projects and keeps the last good revision when a file turns invalid", async () => {
    const [project] = await t.api.scheduler.getProjects();
    expect(project).toMatchObject({ id: "ops", errors: null, counts: { SCHEDULED: 1, WAITING: 2 } });
    const job = await t.api.scheduler.getJob({ job: "ops/every5" });
    expect(job).toMatchObject({ state: "SCHEDULED", flavor: "triggering", scheduleInWords: "every 5 minutes (UTC)", nextRunTimestampMillis: Date.parse("2026-01-01T10:05:00Z") });

    writeFileSync(join(dir, "ops.yaml"), PROJECT.replace('"*/5 * * * *"', '"*/5 * * *"').replace("id: after", "id: after\n    bogus: [1"));
    const report = await syncCatalog(t.engine.ctx, dir);
    expect(report.invalid[0]!.errors[0]).toMatchObject({ file: "ops.yaml" });
    expect((await t.api.scheduler.getProjects())[0]!.errors).not.toBeNull();
    expect((await t.api.scheduler.getJob({ job: "ops/every5" })).schedule).toBe("*/5 * * * *");
    writeFileSync(join(dir, "ops.yaml"), PROJECT);
    await syncCatalog(t.engine.ctx, dir);
    expect((await t.api.scheduler.getProjects())[0]!.errors).toBeNull();
  });
});

describe("ticks, triage and invocations", () => {
  it("arms a tick timer ahead of the slot, which the worker fires at the slot", async () => {
    clock.set(Date.parse("2026-01-01T10:04:49Z"));
    expect(await runTicksOnce(t.engine.ctx)).toEqual({ due: 0, fired: 0 }); // more than ARM_AHEAD_MS away
    clock.set(Date.parse("2026-01-01T10:04:55Z"));
    expect(await runTicksOnce(t.engine.ctx)).toEqual({ due: 1, fired: 0 });
    expect(await timerOf("ops/every5")).toMatchObject({ run_after: new Date("2026-01-01T10:05:00Z"), state: "PENDING" });
    expect((await runTicksOnce(t.engine.ctx)).due).toBe(0); // armed once
    await settle(); // the catalog load asked for triage; with none pending the job is quiet at the slot
    clock.set(Date.parse("2026-01-01T10:04:59.900Z"));
    await new Promise((r) => setTimeout(r, 100)); // the worker polls every 20 ms; the timer is not due yet
    expect(await triggersOf("ops/every5")).toEqual([]);
    clock.set(Date.parse("2026-01-01T10:05:00.200Z"));
    // tick passes leave an armed tick to its timer
    const fired = (await Promise.all([runTicksOnce(t.engine.ctx), runTicksOnce(t.engine.ctx), runTicksOnce(t.engine.ctx)])).map((r) => r.fired);
    expect(fired).toEqual([0, 0, 0]);
    await until(async () => (await triggersOf("ops/every5")).length > 0, "the timer to fire");
    expect(await triggersOf("ops/every5")).toEqual(["cron:ops/every5:2026-01-01T10:05:00.000Z"]);
    expect((await timerOf("ops/every5")).id).toBeNull();
  });

  it("a quiet job's timer starts its invocation at once, which runs to SUCCEEDED and triggers the next job", async () => {
    const [inv] = (await invocations("ops/every5")).invocations;
    expect(inv).toMatchObject({ state: expect.stringMatching(/RUNNING|SUCCEEDED/), triggeredBy: "cron" });

    await until(async () => (await t.api.scheduler.getInvocation({ job: "ops/every5", invocationId: inv!.id })).state === "SUCCEEDED", "the invocation to succeed");
    const done = await t.api.scheduler.getInvocation({ job: "ops/every5", invocationId: inv!.id });
    expect(done.debugLog).toMatch(/launching the task\n.*ran shell task/s);
    expect(done.debugLog).toMatch(/stdout:\ntick \{"invocation"/);
    expect(done.outgoingTriggers).toEqual([{ id: `invocation:${inv!.id}`, job: "ops/after" }]);
    expect(done.viewUrl).toBeNull(); // the task is shown on the invocation itself, not as its carrier queue job
    expect(done.task).toMatchObject({ kind: "shell", command: "sh" });
    expect(done.taskRuns).toEqual([expect.objectContaining({ outcome: "SUCCEEDED", exitCode: 0, stdout: expect.stringMatching(/^tick /) })]);
    expect(done.debugLog).toMatch(/invocation created by the tick timer with 1 trigger\(s\); config revision \w+\n.*launching the task/);
    // a quiet job is triaged as its invocation ends: nothing pending, so nothing to start
    expect((await t.api.scheduler.getJobTriageLog({ job: "ops/every5" })).log).toMatch(
      new RegExp(`\\[\\d{3} ms\\] invocation ${inv!.id} ended: SUCCEEDED\n.*0 pending trigger\\(s\\), 0 active invocation\\(s\\)\n.*policy GREEDY_BATCHING: 0 invocation\\(s\\) to start, 0 trigger\\(s\\) to discard\n.*done`));
    await settle();
    await until(async () => (await invocations("ops/after")).invocations[0]?.state === "SUCCEEDED", "the triggered job to run");
  });

  it("after downtime catches up with one run, not one per missed slot, even with concurrent tickers", async () => {
    clock.set(Date.parse("2026-01-01T11:17:00Z"));
    const fired = (await Promise.all([runTicksOnce(t.engine.ctx), runTicksOnce(t.engine.ctx), runTicksOnce(t.engine.ctx)])).map((r) => r.fired);
    expect(fired.reduce((a, b) => a + b)).toBe(1);
    expect((await runTicksOnce(t.engine.ctx)).fired).toBe(0);
    expect((await triggersOf("ops/every5")).at(-1)).toBe("cron:ops/every5:2026-01-01T11:15:00.000Z");
    expect((await t.api.scheduler.getJob({ job: "ops/every5" })).nextRunTimestampMillis).toBe(Date.parse("2026-01-01T11:20:00Z"));
  });
});

describe("emitTriggers, pause, abort", () => {
  it("is retry-safe by trigger id and rejects the whole call for an unknown job", async () => {
    const batch = { batches: [{ trigger: { id: "deploy-42", title: "deploy" }, jobs: ["ops/after"] }] };
    expect(await t.api.scheduler.emitTriggers(batch)).toEqual({ accepted: 1, ignored: 0 });
    expect(await t.api.scheduler.emitTriggers(batch)).toEqual({ accepted: 0, ignored: 1 });
    const bad = await t.mutate("scheduler.emitTriggers", { batches: [{ trigger: { id: "x" }, jobs: ["ops/after", "ops/ghost"] }] });
    expect(bad.status).toBe(404);
    expect(bad.error.message).toMatch(/no such job: ops\/ghost/);
    expect(await triggersOf("ops/after")).not.toContain("x");
  });

  it("pause discards pending triggers, ignores new ones and stops ticks; resume re-arms", async () => {
    await t.api.scheduler.emitTriggers({ batches: [{ trigger: { id: "pending-1" }, jobs: ["ops/every5"] }] });
    const paused = await t.api.scheduler.pauseJob({ job: "ops/every5", reason: "maintenance window" });
    expect(paused).toMatchObject({ state: "PAUSED", paused: { byWho: "test", reason: "maintenance window" }, nextRunTimestampMillis: null });
    await settle();
    expect(await t.api.scheduler.listTriggers({ job: "ops/every5" })).toEqual([]);
    expect(await t.api.scheduler.emitTriggers({ batches: [{ trigger: { id: "while-paused" }, jobs: ["ops/every5"] }] })).toEqual({ accepted: 0, ignored: 1 });
    const bad = await t.mutate("scheduler.pauseJob", { job: "ops/every5", reason: " " });
    expect(bad.error.message).toMatch(/say why/);
    const resumed = await t.api.scheduler.resumeJob({ job: "ops/every5" });
    expect(resumed.state).toBe("SCHEDULED");
    expect(resumed.nextRunTimestampMillis).toBe(Date.parse("2026-01-01T11:20:00Z"));
  });

  it("aborts a running invocation and kills its task", async () => {
    await t.api.scheduler.emitTriggers({ batches: [{ trigger: { id: "go-slow" }, jobs: ["ops/slow"] }] });
    await settle();
    const [inv] = (await invocations("ops/slow")).invocations;
    await until(async () => (await t.api.scheduler.getInvocation({ job: "ops/slow", invocationId: inv!.id })).state === "RUNNING", "the slow task to run");
    expect((await t.api.scheduler.getJob({ job: "ops/slow" })).state).toBe("RUNNING");
    expect(await t.api.scheduler.abortInvocation({ job: "ops/slow", invocationId: inv!.id })).toEqual({ aborted: true });
    const aborted = await t.api.scheduler.getInvocation({ job: "ops/slow", invocationId: inv!.id });
    expect(aborted).toMatchObject({ state: "ABORTED", abortedBy: "test" });
    await until(async () => worker.stats.succeeded > 0 && (await t.api.queues.getJobCount({ queueName: "hourglass_invocations", jobState: "IN_PROGRESS" })).count === 0, "the task to be killed");
    expect((await t.api.scheduler.getInvocations({ job: "ops/slow", activeOnly: true })).invocations).toEqual([]);
  });
});

describe("tick timers", () => {
  const queueStates = async (ids: string[]) => (await t.db.sql.query(`SELECT state FROM queue_job WHERE id = ANY($1::bigint[])`, [ids])).rows.map((r) => r.state);

  it("a pause before the slot makes the armed timer stale; the timer armed after resume fires once", async () => {
    await settle();
    clock.set(Date.parse("2026-01-01T11:19:55Z"));
    await runTicksOnce(t.engine.ctx);
    const first = await timerOf("ops/every5");
    expect(first.run_after).toEqual(new Date("2026-01-01T11:20:00Z"));
    await t.api.scheduler.pauseJob({ job: "ops/every5", reason: "briefly" });
    await t.api.scheduler.resumeJob({ job: "ops/every5" });
    expect((await timerOf("ops/every5")).id).toBeNull();
    await settle();
    await runTicksOnce(t.engine.ctx);
    const second = await timerOf("ops/every5");
    expect(second.id).not.toBe(first.id);
    const before = (await triggersOf("ops/every5")).length;
    clock.set(Date.parse("2026-01-01T11:20:00.100Z"));
    await until(async () => (await queueStates([first.id, second.id])).every((s) => s === "SUCCEEDED"), "both timers to run");
    expect((await triggersOf("ops/every5")).slice(before)).toEqual(["cron:ops/every5:2026-01-01T11:20:00.000Z"]);
    await until(async () => (await t.api.scheduler.getInvocations({ job: "ops/every5", activeOnly: true })).invocations.length === 0, "its invocation to end");
  });

  it("a tick that finds triggers pending joins them, and triage starts one invocation with both", async () => {
    await settle();
    clock.set(Date.parse("2026-01-01T11:24:55Z"));
    await runTicksOnce(t.engine.ctx);
    await t.api.scheduler.emitTriggers({ batches: [{ trigger: { id: "join-me" }, jobs: ["ops/every5"] }] }); // not triaged yet
    clock.set(Date.parse("2026-01-01T11:25:00.100Z"));
    await until(async () => (await triggersOf("ops/every5")).includes("cron:ops/every5:2026-01-01T11:25:00.000Z"), "the timer to fire");
    expect((await t.api.scheduler.listTriggers({ job: "ops/every5" })).map((tr) => tr.id)).toEqual(["join-me", "cron:ops/every5:2026-01-01T11:25:00.000Z"]);
    await settle();
    const [listed] = (await invocations("ops/every5")).invocations;
    const inv = await t.api.scheduler.getInvocation({ job: "ops/every5", invocationId: listed!.id });
    expect((inv.incomingTriggers as { id: string }[]).map((tr) => tr.id)).toEqual(["join-me", "cron:ops/every5:2026-01-01T11:25:00.000Z"]);
    await until(async () => (await t.api.scheduler.getInvocations({ job: "ops/every5", activeOnly: true })).invocations.length === 0, "its invocation to end");
  });

  it("a quiet job's timer does the triage itself and writes its log; run again, it relaunches its invocation", async () => {
    await settle();
    clock.set(Date.parse("2026-01-01T11:29:55Z"));
    await runTicksOnce(t.engine.ctx);
    const timer = await timerOf("ops/every5");
    await t.engine.internal.queues.pauseQueue({ id: "test" }, "hourglass_invocations"); // keep the worker off it: the test fires it
    try {
      clock.set(Date.parse("2026-01-01T11:30:00.100Z"));
      const [started] = await withTransaction(t.db.pool, (sql) => fireTimers(sql, clock.now(), [{ timerId: timer.id, jobKey: "ops/every5" }]));
      expect(started).toMatchObject({ job_key: "ops/every5" });
      expect((await t.api.scheduler.getJobTriageLog({ job: "ops/every5" })).log).toMatch(new RegExp([
        "\\[\\d{3} ms\\] tick timer fired for slot 2026-01-01T11:30:00.000Z: trigger cron:ops/every5:2026-01-01T11:30:00.000Z",
        ".*1 pending trigger\\(s\\), 0 active invocation\\(s\\)",
        ".*policy GREEDY_BATCHING: 1 invocation\\(s\\) to start, 0 trigger\\(s\\) to discard",
        `.*started invocation ${started!.id} with trigger\\(s\\) cron:ops/every5:2026-01-01T11:30:00.000Z`,
        ".*done"].join("\n")));
      expect(await t.api.scheduler.getInvocation({ job: "ops/every5", invocationId: started!.id })).toMatchObject({ state: "RUNNING", triggeredBy: "cron" });
      // fired once: the same timer again is stale
      expect(await withTransaction(t.db.pool, (sql) => fireTimers(sql, clock.now(), [{ timerId: timer.id, jobKey: "ops/every5" }]))).toEqual([null]);
      // the worker that fired it died before running the task: the timer's next run finds the invocation and relaunches it
      const runner = new InvocationRunner(t.engine.ctx, { baseEnv: { PATH: process.env.PATH! } });
      await runner.run({ jobDescriptor: `hourglass_invocations:${timer.id}`, queueName: "hourglass_invocations", body: "tick:ops/every5", attempt: 2, attemptsRemaining: 3 }, new AbortController().signal);
      const relaunched = await t.api.scheduler.getInvocation({ job: "ops/every5", invocationId: started!.id });
      expect(relaunched).toMatchObject({ state: "SUCCEEDED", retryCount: 1 });
      expect(relaunched.debugLog).toMatch(/previous launch was lost \(worker stopped\?\); retry 1 of 3\n.*stdout:\ntick .*\n.*ran shell task/);
      expect(relaunched.taskRuns).toEqual([expect.objectContaining({ outcome: "SUCCEEDED" })]); // the lost launch ran nothing
      await t.db.sql.query(`DELETE FROM queue_job WHERE id = $1`, [timer.id]);
    } finally {
      await t.engine.internal.queues.resumeQueue({ id: "test" }, "hourglass_invocations");
    }
  });

  it("a lost timer is fired by the tick service once LOST_TIMER_MS have passed", async () => {
    await settle();
    clock.set(Date.parse("2026-01-01T11:34:55Z"));
    await runTicksOnce(t.engine.ctx);
    const timer = await timerOf("ops/every5");
    await t.db.sql.query(`DELETE FROM queue_job WHERE id = $1`, [timer.id]); // an operator deleted it
    clock.set(Date.parse("2026-01-01T11:35:00Z") + LOST_TIMER_MS - 100);
    expect((await runTicksOnce(t.engine.ctx)).fired).toBe(0);
    clock.set(Date.parse("2026-01-01T11:35:00Z") + LOST_TIMER_MS + 100);
    expect((await runTicksOnce(t.engine.ctx)).fired).toBe(1);
    expect((await triggersOf("ops/every5")).at(-1)).toBe("cron:ops/every5:2026-01-01T11:35:00.000Z");
    expect(await timerOf("ops/every5")).toMatchObject({ id: null });
  });
});
