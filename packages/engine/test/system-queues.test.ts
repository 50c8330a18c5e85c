// The `hourglass_` prefix is reserved: Hourglass's own queues can be read
// through the API but not created, deleted, paused, reconfigured or written;
// the engine's internal path (SchedulerLoops, Requests) still manages them.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEngine, type TestEngine } from "../src/testing.ts";
import { SchedulerLoops } from "../src/worker/index.ts";

let t: TestEngine;
const dir = mkdtempSync(join(tmpdir(), "hourglass-system-"));

beforeAll(async () => {
  t = await createTestEngine();
  const loops = new SchedulerLoops(t.engine, { projectsDir: dir, intervalMs: 1_000_000, catalogIntervalMs: 1_000_000 });
  await loops.start(); // the engine creates hourglass_invocations through its internal path
  loops.stop();
  await t.engine.requests.ensureQueue(); // and hourglass_chains
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

const SYSTEM = ["hourglass_invocations", "hourglass_chains"];

function expectReserved(r: { status: number; error: any }) {
  expect(r.status).toBe(403);
  expect(r.error.data.errorCode).toBe("QUEUE_RESERVED");
  expect(r.error.message).toMatch(/reserved for Hourglass's own queues/);
}

describe("system queues", () => {
  it("are created by the engine and listed, marked system", async () => {
    const summaries = await t.api.queues.getQueueSummaries();
    expect(summaries.filter((q) => q.system).map((q) => q.name).sort()).toEqual([...SYSTEM].sort());
    expect((await t.api.queues.getQueue({ name: "hourglass_invocations" })).system).toBe(true);
  });

  it("cannot be created, deleted, paused, resumed or reconfigured through the API", async () => {
    for (const name of SYSTEM) {
      expectReserved(await t.mutate("queues.deleteQueue", { name }));
      expectReserved(await t.mutate("queues.pauseQueue", { name }));
      expectReserved(await t.mutate("queues.resumeQueue", { name }));
      expectReserved(await t.mutate("queues.updateQueue", { name, settings: { claimTimeoutMillis: 1000 } }));
      expectReserved(await t.mutate("queues.createQueue", { name }));
    }
    expectReserved(await t.mutate("queues.createQueue", { name: "hourglass_mine" }));
    expect(await t.api.queues.getQueueNames()).not.toContain("hourglass_mine");
    const q = await t.api.queues.getQueue({ name: "hourglass_invocations" });
    expect(q).toMatchObject({ paused: false, claimTimeoutMillis: 60_000 });
  });

  it("refuse enqueue, dequeue, ack, checkpoint, retry and delete through the API", async () => {
    const name = "hourglass_invocations";
    const timer = `${name}:1`;
    expectReserved(await t.mutate("queues.enqueueJobs", { queueName: name, jobs: [{ body: "42" }] }));
    expectReserved(await t.mutate("queues.dequeueJobs", { queueName: name, limit: 1 }));
    expectReserved(await t.mutate("queues.ackDequeuedJobs", { queueName: name, jobsSucceeded: [{ jobDescriptor: timer }] }));
    expectReserved(await t.mutate("queues.checkpointJobs", { queueName: name, requests: [{ jobDescriptor: timer }] }));
    expectReserved(await t.mutate("queues.retryFailedJobs", { queueName: name }));
    expectReserved(await t.mutate("queues.deleteJobs", { queueName: name, jobState: "PENDING" }));
    // reads stay open: counts, scans, a dry-run dequeue (it claims nothing)
    expect((await t.query("queues.getJobCount", { queueName: name, jobState: "PENDING" })).status).toBe(200);
    expect((await t.query("queues.scanJobs", { queueName: name, jobState: "PENDING" })).status).toBe(200);
    expect((await t.mutate("queues.dequeueJobs", { queueName: name, limit: 1, dryRun: true })).status).toBe(200);
  });

  it("stay manageable by the engine's internal path", async () => {
    const admin = t.engine.internal.queues;
    const paused = await admin.pauseQueue({ id: "test" }, "hourglass_chains");
    expect(paused).toMatchObject({ paused: true, system: true });
    expect((await admin.resumeQueue({ id: "test" }, "hourglass_chains")).paused).toBe(false);
    expect((await admin.updateQueue({ id: "test" }, "hourglass_chains", { claimTimeoutMillis: 20_000 })).claimTimeoutMillis).toBe(20_000);
  });

  it("user queues are unaffected by the reserved prefix", async () => {
    expect((await t.mutate("queues.createQueue", { name: "hourglassy" })).status).toBe(200);
    expect((await t.mutate("queues.createQueue", { name: "my_hourglass_queue" })).status).toBe(200);
    expect((await t.mutate("queues.deleteQueue", { name: "hourglassy" })).status).toBe(200);
  });
});
