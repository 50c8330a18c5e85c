// Bulk actions on queue jobs (retry, delete, requeue, cancel) by selection
// and by filter: bounded batches that end, counts that are capped, skipped
// jobs with their reason, and one summary event per batch beside the jobs'
// own events. Real PostgreSQL, fake time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEngine, ManualClock, testCaller, type TestEngine } from "../src/testing.ts";

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const clock = new ManualClock(T0);
let t: TestEngine;

beforeAll(async () => {
  t = await createTestEngine({ clock });
});
afterAll(async () => {
  await t?.close();
});

/** `n` jobs with these bodies on `queue`, failed for good (one attempt each). */
async function failed(queue: string, bodies: string[]): Promise<string[]> {
  const { jobDescriptors } = await t.api.queues.enqueueJobs({ queueName: queue, jobs: bodies.map((body) => ({ body, numAttemptsAllowed: 1 })) });
  await t.api.queues.dequeueJobs({ queueName: queue, limit: 1000 });
  await t.api.queues.ackDequeuedJobs({ queueName: queue, jobsFailed: jobDescriptors.map((jobDescriptor) => ({ jobDescriptor })) });
  clock.advance(1000);
  return jobDescriptors;
}

const states = async (descriptors: string[]) => {
  const found = await t.api.queues.lookupJobs({ jobDescriptors: descriptors });
  return descriptors.map((d) => found[d]?.jobState ?? "gone");
};

async function summaries(queue: string, action: string) {
  const r = await t.db.sql.query<{ payload: Record<string, unknown>; actor: string }>(
    `SELECT payload, actor FROM event_log WHERE entity_kind = 'queue' AND entity_id = $1 AND action = $2 ORDER BY id`, [queue, action]);
  return r.rows;
}

describe("bulk retry", () => {
  it("by filter: counts first (capped), then retries in bounded batches only the failed jobs whose body matches", async () => {
    await t.api.queues.createQueue({ name: "b_retry" });
    const red = await failed("b_retry", Array.from({ length: 7 }, (_, i) => `{"colour":"red","n":${i}}`));
    const blue = await failed("b_retry", ["{\"colour\":\"blue\"}", "{\"colour\":\"blue\"}"]);
    const count = await t.api.queues.getJobCount({ queueName: "b_retry", jobState: "FAILED", bodyRegexToMatch: "red", cap: 5 });
    expect(count).toEqual({ count: 5, capped: true });
    expect(await t.api.queues.getJobCount({ queueName: "b_retry", jobState: "FAILED", bodyRegexToMatch: "red" }))
      .toEqual({ count: 7, capped: false });

    const batches: number[] = [];
    let before: number | undefined;
    for (;;) {
      const r = await t.api.queues.retryFailedJobs({ queueName: "b_retry", bodyRegexToMatch: "red", limit: 3, before });
      batches.push(r.retried);
      expect(r.skipped).toEqual([]);
      before = r.before;
      if (!r.more) break;
    }
    expect(batches).toEqual([3, 3, 1]);
    expect(new Set(await states(red))).toEqual(new Set(["PENDING"]));
    expect(await states(blue)).toEqual(["FAILED", "FAILED"]);
    const events = await summaries("b_retry", "jobs_retried");
    expect(events.map((e) => e.payload.count)).toEqual([3, 3, 1]);
    expect(events[0]!.actor).toBe("test");
    expect(events[0]!.payload.filter).toMatchObject({ bodyRegexToMatch: "red", limit: 3 });
  });

  it("by selection: retries the failed ones and says why it skipped the others", async () => {
    await t.api.queues.createQueue({ name: "b_sel" });
    const [f1, f2] = await failed("b_sel", ["a", "b"]);
    const { jobDescriptors: [p1] } = await t.api.queues.enqueueJobs({ queueName: "b_sel", jobs: [{ body: "c" }] });
    const r = await t.api.queues.retryFailedJobs({ queueName: "b_sel", jobDescriptors: [f1!, f2!, p1!, "b_sel:999999"], attemptsToAllow: 3 });
    expect(r.retried).toBe(2);
    expect(r.more).toBe(false);
    expect(r.skipped).toEqual([
      { reason: "PENDING: only FAILED jobs can be retried", count: 1, jobDescriptors: [p1] },
      { reason: "no such job (deleted, or collected after its retention)", count: 1, jobDescriptors: ["b_sel:999999"] },
    ]);
    const details = await t.api.queues.getJobDetails({ jobDescriptor: f1! });
    expect([details.jobState, details.attemptsAllowed]).toEqual(["PENDING", 3]);
    const [summary] = await summaries("b_sel", "jobs_retried");
    expect(summary!.payload).toMatchObject({ selection: 4, count: 2 });
    expect((summary!.payload.skipped as unknown[]).length).toBe(2);
  });

  it("a selection names jobs of its own queue only, and not with a filter", async () => {
    const other = await t.mutate("queues.retryFailedJobs", { queueName: "b_sel", jobDescriptors: ["b_retry:1"] });
    expect([other.status, other.error.message]).toEqual([400, expect.stringMatching(/belongs to queue "b_retry"/)]);
    const both = await t.mutate("queues.retryFailedJobs", { queueName: "b_sel", jobDescriptors: ["b_sel:1"], priority: 1 });
    expect([both.status, both.error.message]).toEqual([400, expect.stringMatching(/not both/)]);
  });
});

describe("bulk requeue, cancel and delete", () => {
  it("requeue by a PENDING filter ends: jobs it moved are not taken again by later batches", async () => {
    await t.api.queues.createQueue({ name: "b_requeue" });
    const { jobDescriptors } = await t.api.queues.enqueueJobs({
      queueName: "b_requeue", jobs: Array.from({ length: 5 }, (_, i) => ({ body: `j${i}` })),
    });
    clock.advance(1000);
    const later = T0 + 86_400_000;
    const seen: number[] = [];
    let before: number | undefined;
    for (let i = 0; i < 10; i++) {
      const r = await t.api.queues.requeueJobs({
        queueName: "b_requeue", jobState: "PENDING", limit: 2, runAfterTimestampMillis: later, attemptsToAllow: 4, before,
      });
      seen.push(r.requeued);
      before = r.before;
      if (!r.more) break;
    }
    expect(seen).toEqual([2, 2, 1]);
    const d = await t.api.queues.getJobDetails({ jobDescriptor: jobDescriptors[0]! });
    expect([d.runAfterTimestampMillis, d.attemptsAllowed, d.attemptsRemaining]).toEqual([later, 4, 4]);
    const history = await t.api.queues.jobHistory({ jobDescriptor: jobDescriptors[0]! });
    expect(history.history.at(-1)).toMatchObject({ state: "PENDING", by: "test" });
  });

  it("requeue by selection skips a claimed job; a failed one is due again with its own attempts", async () => {
    await t.api.queues.createQueue({ name: "b_rq2" });
    const [f] = await failed("b_rq2", ["x"]);
    const { jobDescriptors: [c] } = await t.api.queues.enqueueJobs({ queueName: "b_rq2", jobs: [{ body: "y" }] });
    await t.api.queues.dequeueJobs({ queueName: "b_rq2", limit: 1 });
    const r = await t.api.queues.requeueJobs({ queueName: "b_rq2", jobDescriptors: [f!, c!] });
    expect(r.requeued).toBe(1);
    expect(r.skipped.map((s) => s.reason)).toEqual(["IN_PROGRESS: only PENDING, FAILED, SUCCEEDED jobs can be requeued"]);
    const d = await t.api.queues.getJobDetails({ jobDescriptor: f! });
    expect([d.jobState, d.attemptsRemaining, d.runAfterTimestampMillis]).toEqual(["PENDING", 1, clock.now().getTime()]);
  });

  it("cancel moves pending jobs to FAILED (a retry brings them back); delete takes a selection in any state", async () => {
    await t.api.queues.createQueue({ name: "b_cancel" });
    const { jobDescriptors } = await t.api.queues.enqueueJobs({ queueName: "b_cancel", jobs: [{ body: "keep" }, { body: "drop" }, { body: "drop" }] });
    const r = await t.api.queues.cancelJobs({ queueName: "b_cancel", bodyRegexToMatch: "^drop$" });
    expect([r.cancelled, r.more]).toEqual([2, false]);
    expect(await states(jobDescriptors)).toEqual(["PENDING", "FAILED", "FAILED"]);
    const again = await t.api.queues.cancelJobs({ queueName: "b_cancel", jobDescriptors: [jobDescriptors[1]!] });
    expect(again.skipped.map((s) => s.reason)).toEqual(["FAILED: only PENDING jobs can be cancelled"]);
    expect(await summaries("b_cancel", "jobs_cancelled")).toHaveLength(1); // the no-op writes no summary
    const del = await t.api.queues.deleteJobs({ queueName: "b_cancel", jobDescriptors: jobDescriptors.slice(0, 2) });
    expect(del.deleted).toBe(2);
    expect(await states(jobDescriptors)).toEqual(["gone", "gone", "FAILED"]);
    const missing = await t.mutate("queues.deleteJobs", { queueName: "b_cancel" });
    expect([missing.status, missing.error.message]).toEqual([400, expect.stringMatching(/name jobState/)]);
  });

  it("system queues refuse every bulk action", async () => {
    await t.engine.internal.queues.createQueue(testCaller("test"), { name: "hourglass_bulk" });
    for (const path of ["queues.requeueJobs", "queues.cancelJobs", "queues.retryFailedJobs"]) {
      const r = await t.mutate(path, { queueName: "hourglass_bulk", jobDescriptors: ["hourglass_bulk:1"] });
      expect(r.error.data.errorCode).toBe("QUEUE_RESERVED");
    }
  });
});
