// Every queue procedure over the real HTTP protocol on real PostgreSQL, with
// an injected clock. Bad inputs must get a clear error and write nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEngine, ManualClock, type TestEngine } from "../src/testing.ts";

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
let t: TestEngine;
const clock = new ManualClock(T0);

beforeAll(async () => {
  t = await createTestEngine({ clock });
});
afterAll(async () => {
  await t?.close();
});

async function ok(kind: "query" | "mutate", path: string, input?: unknown) {
  const r = await t[kind](path, input);
  if (r.error) throw new Error(`${path} failed: ${JSON.stringify(r.error)}`);
  return r.data;
}

async function jobState(descriptor: string) {
  const info = await ok("query", "queues.lookupJobs", { jobDescriptors: [descriptor], includeBody: true });
  return info[descriptor];
}

describe("createQueue / getQueueNames / deleteQueue", () => {
  it("creates idempotently and lists names", async () => {
    expect((await ok("mutate", "queues.createQueue", { name: "q_admin" })).created).toBe(true);
    expect((await ok("mutate", "queues.createQueue", { name: "q_admin" })).created).toBe(false);
    expect(await ok("query", "queues.getQueueNames")).toContain("q_admin");
    expect((await ok("mutate", "queues.deleteQueue", { name: "q_admin" })).deleted).toBe(true);
    // a queue that is gone answers as one the caller may not see: not found (no longer a silent no-op)
    const again = await t.mutate("queues.deleteQueue", { name: "q_admin" });
    expect([again.status, again.error.data.errorCode]).toEqual([404, "QUEUE_NOT_FOUND"]);
    expect(await ok("query", "queues.getQueueNames")).not.toContain("q_admin");
  });

  it("rejects bad names with PinLater's codes", async () => {
    const bad = await t.mutate("queues.createQueue", { name: "no-dashes" });
    expect(bad.status).toBe(400);
    expect(bad.error.data.errorCode).toBe("QUEUE_NAME_INVALID");
    expect(bad.error.message).toMatch(/letters, digits and underscores/);
    const long = await t.mutate("queues.createQueue", { name: "x".repeat(65) });
    expect(long.error.data.errorCode).toBe("QUEUE_NAME_TOO_LONG");
    const missing = await t.mutate("queues.createQueue", {});
    expect(missing.status).toBe(400);
    expect(missing.error.message).toMatch(/^name: /);
    expect(await ok("query", "queues.getQueueNames")).not.toContain("no-dashes");
  });

  it("validates settings, including the executor", async () => {
    const r = await t.mutate("queues.createQueue", { name: "q_bad_exec", executor: { kind: "shell" } });
    expect(r.status).toBe(400);
    expect(r.error.message).toMatch(/executor\.command/);
    const http = await t.mutate("queues.createQueue", { name: "q_bad_exec", executor: { kind: "http", url: "ftp://x" } });
    expect(http.error.message).toMatch(/http:\/\/ or https:\/\//);
    expect(await ok("query", "queues.getQueueNames")).not.toContain("q_bad_exec");
  });
});

describe("enqueue, dequeue, ack", () => {
  beforeAll(async () => {
    await ok("mutate", "queues.createQueue", { name: "q_main" });
  });

  it("applies PinLater's defaults and returns descriptors in order", async () => {
    const { jobDescriptors } = await ok("mutate", "queues.enqueueJobs", { queueName: "q_main", jobs: [{ body: "a" }, { body: "b" }] });
    expect(jobDescriptors).toHaveLength(2);
    expect(jobDescriptors[0]).toMatch(/^q_main:\d+$/);
    const info = await jobState(jobDescriptors[0]);
    expect(info).toMatchObject({ jobState: "PENDING", priority: 1, attemptsAllowed: 2, attemptsRemaining: 2, customStatus: "", body: "a", runAfterTimestampMillis: T0 });
    await ok("mutate", "queues.deleteJobs", { queueName: "q_main", jobState: "PENDING" });
  });

  it("rejects bad jobs and writes none of the batch", async () => {
    const r = await t.mutate("queues.enqueueJobs", { queueName: "q_main", jobs: [{ body: "fine" }, { body: "bad", priority: 4 }] });
    expect(r.status).toBe(400);
    expect(r.error.data.errorCode).toBe("PRIORITY_NOT_SUPPORTED");
    expect(r.error.message).toMatch(/jobs\.1\.priority: priority must be 1, 2 or 3/);
    expect((await ok("query", "queues.getJobCount", { queueName: "q_main", jobState: "PENDING" })).count).toBe(0);
    const none = await t.mutate("queues.enqueueJobs", { queueName: "nope", jobs: [{ body: "x" }] });
    expect(none.status).toBe(404);
    expect(none.error.data.errorCode).toBe("QUEUE_NOT_FOUND");
    const empty = await t.mutate("queues.enqueueJobs", { queueName: "q_main", jobs: [] });
    expect(empty.error.message).toMatch(/jobs is empty/);
  });

  it("dequeues in priority order, then runAfter; future jobs wait; dryRun claims nothing", async () => {
    const { jobDescriptors: d } = await ok("mutate", "queues.enqueueJobs", {
      queueName: "q_main",
      jobs: [
        { body: "p3", priority: 3 },
        { body: "p1-late", priority: 1, runAfterTimestampMillis: T0 - 1000 },
        { body: "p1-early", priority: 1, runAfterTimestampMillis: T0 - 5000 },
        { body: "future", priority: 1, runAfterTimestampMillis: T0 + 60_000 },
        { body: "p2", priority: 2 },
      ],
    });
    const dry = await ok("mutate", "queues.dequeueJobs", { queueName: "q_main", limit: 10, dryRun: true });
    expect(Object.values(dry.jobs)).toEqual(["p1-early", "p1-late", "p2", "p3"]);
    expect((await jobState(d[0])).jobState).toBe("PENDING");

    const got = await ok("mutate", "queues.dequeueJobs", { queueName: "q_main", limit: 3 });
    expect(Object.values(got.jobs)).toEqual(["p1-early", "p1-late", "p2"]);
    const meta = got.jobMetadata[d[2]];
    expect(meta).toMatchObject({ attemptsAllowed: 2, attemptsRemaining: 1 });
    expect(meta.claimDescriptor).toBe("1@user:tester");
    expect((await jobState(d[2])).jobState).toBe("IN_PROGRESS");

    // piggybacked ack on the next dequeue
    const next = await ok("mutate", "queues.dequeueJobs", {
      queueName: "q_main", limit: 10,
      jobAckRequest: { queueName: "q_main", jobsSucceeded: [{ jobDescriptor: d[2], appendCustomStatus: "done" }] },
    });
    expect(Object.values(next.jobs)).toEqual(["p3"]);
    expect(await jobState(d[2])).toMatchObject({ jobState: "SUCCEEDED", customStatus: "done" });

    clock.advance(60_000);
    const later = await ok("mutate", "queues.dequeueJobs", { queueName: "q_main", limit: 10 });
    expect(Object.values(later.jobs)).toEqual(["future"]);

    // failed with attempts left: back to PENDING after the retry delay
    const { acked } = await ok("mutate", "queues.ackDequeuedJobs", {
      queueName: "q_main",
      jobsSucceeded: [{ jobDescriptor: d[1] }, { jobDescriptor: d[4] }],
      jobsFailed: [{ jobDescriptor: d[0], retryDelayMillis: 5000, appendCustomStatus: "boom" }],
    });
    expect(acked).toBe(3);
    expect(await jobState(d[0])).toMatchObject({ jobState: "PENDING", attemptsRemaining: 1, customStatus: "boom", runAfterTimestampMillis: clock.now().getTime() + 5000 });
    // acking a job that is not IN_PROGRESS is ignored
    expect((await ok("mutate", "queues.ackDequeuedJobs", { queueName: "q_main", jobsSucceeded: [{ jobDescriptor: d[0] }] })).acked).toBe(0);

    clock.advance(5000);
    const retry = await ok("mutate", "queues.dequeueJobs", { queueName: "q_main", limit: 10 });
    expect(Object.keys(retry.jobs)).toEqual([d[0]]);
    expect(retry.jobMetadata[d[0]]).toMatchObject({ attemptsRemaining: 0, claimDescriptor: "2@user:tester" });
    await ok("mutate", "queues.ackDequeuedJobs", { queueName: "q_main", jobsFailed: [{ jobDescriptor: d[0] }, { jobDescriptor: d[3] }] });
    expect((await jobState(d[0])).jobState).toBe("FAILED");
    expect(await jobState(d[3])).toMatchObject({ jobState: "PENDING", attemptsRemaining: 1 });

    const details = await ok("query", "queues.getJobDetails", { jobDescriptor: d[0] });
    expect(details.history.map((h: { state: string }) => h.state)).toEqual(["PENDING", "IN_PROGRESS", "PENDING", "IN_PROGRESS", "FAILED"]);
    expect(details.history[1].by).toBe("user:tester");
    expect(details.finishedAtTimestampMillis).toBe(clock.now().getTime());
  });

  it("rejects acks for another queue's jobs and malformed descriptors", async () => {
    const r = await t.mutate("queues.ackDequeuedJobs", { queueName: "q_main", jobsSucceeded: [{ jobDescriptor: "other:1" }] });
    expect(r.status).toBe(400);
    expect(r.error.message).toMatch(/belongs to queue "other"/);
    const m = await t.query("queues.lookupJobs", { jobDescriptors: ["garbage"] });
    expect(m.error.message).toMatch(/not a job descriptor/);
  });
});

describe("checkpointJobs", () => {
  it("keeps alive, rewrites, moves to pending, and ignores stale claims", async () => {
    await ok("mutate", "queues.createQueue", { name: "q_ckpt", claimTimeoutMillis: 10_000 });
    const { jobDescriptors: [d] } = await ok("mutate", "queues.enqueueJobs", { queueName: "q_ckpt", jobs: [{ body: "v1", customStatus: "s" }] });
    const first = await ok("mutate", "queues.dequeueJobs", { queueName: "q_ckpt", limit: 1 });
    const claim1 = first.jobMetadata[d].claimDescriptor;

    clock.advance(8000);
    expect((await ok("mutate", "queues.checkpointJobs", { queueName: "q_ckpt", requests: [{ jobDescriptor: d, claimDescriptor: claim1 }] })).checkpointed).toBe(1);
    clock.advance(8000); // 16 s after the claim, but only 8 s after the keep-alive
    await t.engine.maintenance.resurrectOnce();
    expect((await jobState(d)).jobState).toBe("IN_PROGRESS");

    await ok("mutate", "queues.checkpointJobs", {
      queueName: "q_ckpt",
      requests: [{ jobDescriptor: d, newBody: "v2", moveToPending: true, runAfterTimestampMillis: clock.now().getTime() + 1000, numOfAttemptsAllowed: 5, prependCustomStatus: "p:" }],
    });
    expect(await jobState(d)).toMatchObject({ jobState: "PENDING", body: "v2", attemptsAllowed: 5, attemptsRemaining: 5, customStatus: "p:s" });

    clock.advance(1000);
    const second = await ok("mutate", "queues.dequeueJobs", { queueName: "q_ckpt", limit: 1 });
    expect(second.jobMetadata[d].claimDescriptor).not.toBe(claim1);
    // a checkpoint naming the first claim is stale: no-op
    const stale = await ok("mutate", "queues.checkpointJobs", { queueName: "q_ckpt", requests: [{ jobDescriptor: d, claimDescriptor: claim1, moveToPending: true }] });
    expect(stale.checkpointed).toBe(0);
    expect((await jobState(d)).jobState).toBe("IN_PROGRESS");
  });
});

describe("counts, scans, bulk actions", () => {
  const descriptors: string[] = [];
  beforeAll(async () => {
    await ok("mutate", "queues.createQueue", { name: "q_scan" });
    const jobs = Array.from({ length: 25 }, (_, i) => ({
      body: i % 5 === 0 ? `{"kind":"email","n":${i}}` : `{"kind":"sms","n":${i}}`,
      priority: (i % 3) + 1,
      runAfterTimestampMillis: clock.now().getTime() - 100_000 + i * 1000,
    }));
    jobs.push({ body: "future", priority: 1, runAfterTimestampMillis: clock.now().getTime() + 3_600_000 });
    descriptors.push(...(await ok("mutate", "queues.enqueueJobs", { queueName: "q_scan", jobs })).jobDescriptors);
  });

  it("counts by state, priority, future and body regex", async () => {
    const count = (input: object) => ok("query", "queues.getJobCount", { queueName: "q_scan", jobState: "PENDING", ...input });
    expect(await count({})).toEqual({ count: 25, capped: false });
    expect((await count({ countFutureJobs: true })).count).toBe(1);
    expect((await count({ priority: 2 })).count).toBe(8);
    expect((await count({ bodyRegexToMatch: '"kind":"email"' })).count).toBe(5);
    const bad = await t.query("queues.getJobCount", { queueName: "q_scan", jobState: "PENDING", bodyRegexToMatch: "(" });
    expect(bad.status).toBe(400);
    expect(bad.error.data.errorCode).toBe("BODY_REGEX_INVALID");
    const state = await t.query("queues.getJobCount", { queueName: "q_scan", jobState: "DONE" });
    expect(state.error.message).toMatch(/jobState/);
  });

  it("scans newest runAfter first with keyset pagination over every priority", async () => {
    const seen: { d: string; runAfter: number }[] = [];
    let continuation = "0";
    let pages = 0;
    while (continuation !== "-1") {
      const page = await ok("query", "queues.scanJobs", { queueName: "q_scan", jobState: "PENDING", limit: 7, continuation });
      seen.push(...page.scannedJobs.map((j: { jobDescriptor: string; runAfterTimestampMillis: number }) => ({ d: j.jobDescriptor, runAfter: j.runAfterTimestampMillis })));
      continuation = page.continuation;
      pages++;
    }
    expect(pages).toBe(4);
    expect(seen).toHaveLength(25);
    expect(new Set(seen.map((s) => s.d)).size).toBe(25);
    expect(seen.map((s) => s.runAfter)).toEqual([...seen.map((s) => s.runAfter)].sort((a, b) => b - a));
    const p1 = await ok("query", "queues.scanJobs", { queueName: "q_scan", jobState: "PENDING", priority: 1, limit: 100 });
    expect(p1.scannedJobs.every((j: { priority: number }) => j.priority === 1)).toBe(true);
    expect(p1.continuation).toBe("-1");
    const future = await ok("query", "queues.scanJobs", { queueName: "q_scan", jobState: "PENDING", scanFutureJobs: true });
    expect(future.scannedJobs.map((j: { jobDescriptor: string }) => j.jobDescriptor)).toEqual([descriptors[25]]);
    const bad = await t.query("queues.scanJobs", { queueName: "q_scan", jobState: "PENDING", continuation: "bogus!" });
    expect(bad.error.data.errorCode).toBe("CONTINUATION_INVALID");
  });

  it("retries failed jobs and deletes by filter", async () => {
    await ok("mutate", "queues.createQueue", { name: "q_retry" });
    await ok("mutate", "queues.enqueueJobs", { queueName: "q_retry", jobs: Array.from({ length: 4 }, (_, i) => ({ body: `${i}`, numAttemptsAllowed: 1 })) });
    const got = await ok("mutate", "queues.dequeueJobs", { queueName: "q_retry", limit: 4 });
    await ok("mutate", "queues.ackDequeuedJobs", { queueName: "q_retry", jobsFailed: Object.keys(got.jobs).map((jobDescriptor) => ({ jobDescriptor })) });
    expect((await ok("query", "queues.getJobCount", { queueName: "q_retry", jobState: "FAILED" })).count).toBe(4);

    expect((await ok("mutate", "queues.retryFailedJobs", { queueName: "q_retry", limit: 3, attemptsToAllow: 4 })).retried).toBe(3);
    expect((await ok("query", "queues.getJobCount", { queueName: "q_retry", jobState: "FAILED" })).count).toBe(1);
    const retried = await ok("query", "queues.scanJobs", { queueName: "q_retry", jobState: "PENDING", limit: 100 });
    expect(retried.scannedJobs.map((j: { attemptsAllowed: number; attemptsRemaining: number }) => [j.attemptsAllowed, j.attemptsRemaining])).toEqual([[4, 4], [4, 4], [4, 4]]);

    const del = await ok("mutate", "queues.deleteJobs", { queueName: "q_scan", jobState: "PENDING", bodyRegexToMatch: '"kind":"email"', limit: 2 });
    expect(del.deleted).toBe(2);
    const missing = await t.mutate("queues.deleteJobs", { queueName: "q_nope", jobState: "PENDING" });
    expect(missing.error.data.errorCode).toBe("QUEUE_NOT_FOUND");
  });
});

describe("rate limits and pause", () => {
  it("grants at most the rate per second and answers DEQUEUE_RATE_LIMITED beyond it", async () => {
    await ok("mutate", "queues.createQueue", { name: "q_rate", dequeueRateLimit: 2 });
    await ok("mutate", "queues.enqueueJobs", { queueName: "q_rate", jobs: Array.from({ length: 10 }, (_, i) => ({ body: `${i}` })) });
    expect(Object.keys((await ok("mutate", "queues.dequeueJobs", { queueName: "q_rate", limit: 5 })).jobs)).toHaveLength(2);
    const limited = await t.mutate("queues.dequeueJobs", { queueName: "q_rate", limit: 5 });
    expect(limited.status).toBe(429);
    expect(limited.error.data.errorCode).toBe("DEQUEUE_RATE_LIMITED");
    clock.advance(500);
    expect(Object.keys((await ok("mutate", "queues.dequeueJobs", { queueName: "q_rate", limit: 5 })).jobs)).toHaveLength(1);
    clock.advance(10_000); // the bucket holds at most one second's worth
    expect(Object.keys((await ok("mutate", "queues.dequeueJobs", { queueName: "q_rate", limit: 5 })).jobs)).toHaveLength(2);
  });

  it("pause is rate 0; resume restores the previous limit", async () => {
    const paused = await ok("mutate", "queues.pauseQueue", { name: "q_rate" });
    expect(paused).toMatchObject({ paused: true, dequeueRateLimit: 0, pausedBy: "user:tester" });
    const r = await t.mutate("queues.dequeueJobs", { queueName: "q_rate", limit: 1 });
    expect(r.error.data.errorCode).toBe("DEQUEUE_RATE_LIMITED");
    expect(r.error.message).toMatch(/paused/);
    // the claim itself checks the pause, so a worker with a stale view of the queue claims nothing
    expect(await t.engine.jobs.claim("q_rate", 10, "stale-worker")).toEqual([]);
    const resumed = await ok("mutate", "queues.resumeQueue", { name: "q_rate" });
    expect(resumed).toMatchObject({ paused: false, dequeueRateLimit: 2, pausedBy: null });
    const updated = await ok("mutate", "queues.updateQueue", { name: "q_rate", settings: { dequeueRateLimit: null, claimTimeoutMillis: 5000 } });
    expect(updated).toMatchObject({ dequeueRateLimit: null, claimTimeoutMillis: 5000 });
    const bad = await t.mutate("queues.updateQueue", { name: "q_rate", settings: { claimTimeoutMillis: 5 } });
    expect(bad.error.message).toMatch(/settings\.claimTimeoutMillis/);
  });
});

describe("lease resurrection and GC", () => {
  it("resurrects expired claims, failing those with no attempts left", async () => {
    await ok("mutate", "queues.createQueue", { name: "q_lease", claimTimeoutMillis: 30_000 });
    const { jobDescriptors: [one, two] } = await ok("mutate", "queues.enqueueJobs", {
      queueName: "q_lease", jobs: [{ body: "1", numAttemptsAllowed: 2 }, { body: "2", numAttemptsAllowed: 1 }],
    });
    await ok("mutate", "queues.dequeueJobs", { queueName: "q_lease", limit: 2 });
    clock.advance(29_000);
    await t.engine.maintenance.resurrectOnce();
    expect((await jobState(one)).jobState).toBe("IN_PROGRESS");
    clock.advance(2000);
    expect(await t.engine.maintenance.resurrectOnce()).toEqual({ pending: 1, failed: 1 });
    expect(await jobState(one)).toMatchObject({ jobState: "PENDING", attemptsRemaining: 1 });
    expect((await jobState(two)).jobState).toBe("FAILED");
    const details = await ok("query", "queues.getJobDetails", { jobDescriptor: one });
    expect(details.history.at(-1)).toMatchObject({ state: "PENDING", by: "system:resurrector" });
  });

  it("GC deletes finished jobs after the queue's retention", async () => {
    await ok("mutate", "queues.createQueue", { name: "q_gc", succeededRetentionMillis: 60_000, failedRetentionMillis: 120_000 });
    const { jobDescriptors: [s, f] } = await ok("mutate", "queues.enqueueJobs", { queueName: "q_gc", jobs: [{ body: "s" }, { body: "f", numAttemptsAllowed: 1 }] });
    await ok("mutate", "queues.dequeueJobs", { queueName: "q_gc", limit: 2 });
    await ok("mutate", "queues.ackDequeuedJobs", { queueName: "q_gc", jobsSucceeded: [{ jobDescriptor: s }], jobsFailed: [{ jobDescriptor: f }] });
    clock.advance(60_001);
    await t.engine.maintenance.collectGarbageOnce();
    expect(await jobState(s)).toBeUndefined();
    expect((await jobState(f)).jobState).toBe("FAILED");
    // shortening the retention applies to jobs already finished
    await ok("mutate", "queues.updateQueue", { name: "q_gc", settings: { failedRetentionMillis: 1000 } });
    await t.engine.maintenance.collectGarbageOnce();
    expect(await jobState(f)).toBeUndefined();
    const gone = await t.query("queues.getJobDetails", { jobDescriptor: f });
    expect(gone.status).toBe(404);
  });
});

describe("queue summaries", () => {
  it("counts by state and priority for the dashboard", async () => {
    const [summary] = (await ok("query", "queues.getQueueSummaries")).filter((q: { name: string }) => q.name === "q_main");
    expect(summary.counts.SUCCEEDED.total).toBe(3);
    expect(summary.counts.FAILED.byPriority).toEqual([0, 0, 1]); // the p3 job failed twice
    expect(summary.counts.PENDING.total).toBe(1);
  });
});

describe("queue settings reads", () => {
  it("getQueue and getQueueSummary return settings and counts; unknown queues are 404", async () => {
    await ok("mutate", "queues.createQueue", {
      name: "q_settings", claimTimeoutMillis: 60_000, executor: { kind: "http", url: "http://127.0.0.1:9/hook" },
    });
    const q = await ok("query", "queues.getQueue", { name: "q_settings" });
    expect(q).toMatchObject({
      claimTimeoutMillis: 60_000, succeededRetentionMillis: 86_400_000, failedRetentionMillis: 604_800_000,
      dequeueRateLimit: null, paused: false, executor: { kind: "http", method: "POST", timeoutMillis: 30_000, retryDelayMillis: 1000 },
    });
    const updated = await ok("mutate", "queues.updateQueue", { name: "q_settings", settings: { executor: null } });
    expect(updated.executor).toBeNull();
    const summary = await ok("query", "queues.getQueueSummary", { name: "q_settings" });
    expect(summary.counts.PENDING).toEqual({ total: 0, byPriority: [0, 0, 0] });
    const missing = await t.query("queues.getQueueSummary", { name: "q_missing" });
    expect(missing.status).toBe(404);
    expect(missing.error.data.errorCode).toBe("QUEUE_NOT_FOUND");
  });
});
