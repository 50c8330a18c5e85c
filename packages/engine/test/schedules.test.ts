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
import { QueueWorker, SchedulerLoops } from "../src/worker/index.ts";
import { until } from "./helpers.ts";

const clock = new ManualClock(Date.parse("2026-01-01T10:02:00Z"));
const dir = mkdtempSync(join(tmpdir(), "hourglass-schedules-"));
let t: TestEngine;
let worker: QueueWorker;

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
  const loops = new SchedulerLoops(t.engine, { projectsDir: dir, intervalMs: 1_000_000, catalogIntervalMs: 1_000_000 });
  await loops.start(); // creates the invocations queue and syncs once; the long intervals leave the passes to the test
  loops.stop();
  worker = new QueueWorker(t.engine, {
    workerId: "schedules-worker", pollIntervalMs: 20, childEnv: { PATH: process.env.PATH! },
    handlers: loops.handlers({ baseEnv: { PATH: process.env.PATH! } }), claimAheadMs: loops.claimAheadMs,
  });
  await worker.start();
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
