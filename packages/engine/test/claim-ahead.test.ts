// A worker that claims a queue's jobs ahead of their due time holds them and
// starts them when the (injected) clock reaches it.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestEngine, ManualClock, type TestEngine } from "../src/testing.ts";
import { QueueWorker } from "../src/worker/index.ts";
import { until } from "./helpers.ts";

const T0 = Date.parse("2026-03-01T12:00:00Z");
const clock = new ManualClock(T0);
let t: TestEngine;
let worker: QueueWorker;
const started: number[] = [];

beforeAll(async () => {
  t = await createTestEngine({ clock });
  await t.api.queues.createQueue({ name: "h_ahead", executor: { kind: "handler", name: "note" } });
  worker = new QueueWorker(t.engine, {
    workerId: "ahead", concurrency: 4, pollIntervalMs: 20, claimAheadMs: { h_ahead: 2000 },
    handlers: { note: async () => (started.push(clock.now().getTime()), { succeeded: true }) },
  });
  await worker.start();
});
afterAll(async () => {
  await worker?.stop();
  await t?.close();
});

const stateOf = async (d: string) => (await t.api.queues.lookupJobs({ jobDescriptors: [d] }))[d]!.jobState;

it("claims a job within the claim-ahead window, holds it, and starts it when it falls due", async () => {
  const { jobDescriptors: [d] } = await t.api.queues.enqueueJobs({ queueName: "h_ahead", jobs: [{ body: "x", runAfterTimestampMillis: T0 + 5000 }] });
  await new Promise((r) => setTimeout(r, 100)); // several polls: 5 s away is beyond the window
  expect(await stateOf(d!)).toBe("PENDING");

  clock.set(T0 + 3500); // 1.5 s before it is due: inside the window
  await until(async () => (await stateOf(d!)) === "IN_PROGRESS", "the job to be claimed ahead");
  await new Promise((r) => setTimeout(r, 100));
  expect(started).toEqual([]); // held, not run: the clock has not reached it

  clock.set(T0 + 5000);
  await until(async () => (await stateOf(d!)) === "SUCCEEDED", "the job to run");
  expect(started).toEqual([T0 + 5000]);
});

it("releases a job it holds ahead when it stops, due time unchanged", async () => {
  clock.set(T0 + 10_000);
  const { jobDescriptors: [d] } = await t.api.queues.enqueueJobs({ queueName: "h_ahead", jobs: [{ body: "y", runAfterTimestampMillis: T0 + 11_000 }] });
  await until(async () => (await stateOf(d!)) === "IN_PROGRESS", "the job to be claimed ahead");
  await worker.stop();
  const job = (await t.api.queues.lookupJobs({ jobDescriptors: [d!] }))[d!]!;
  expect(job.jobState).toBe("PENDING");
  expect(job.runAfterTimestampMillis).toBe(T0 + 11_000);
  expect(started).toHaveLength(1);
});
