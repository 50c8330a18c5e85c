// The queue page's PENDING count and its job list must agree: the list shows
// due and scheduled-later PENDING jobs apart (scanJobs' scanFutureJobs), so
// the summary says how many of the PENDING count are later.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEngine, ManualClock, type TestEngine } from "../src/testing.ts";

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const clock = new ManualClock(T0);
let t: TestEngine;
beforeAll(async () => {
  t = await createTestEngine({ clock });
});
afterAll(async () => {
  await t?.close();
});

async function listed(scanFutureJobs: boolean): Promise<number> {
  const r = await t.api.queues.scanJobs({ queueName: "q_split", jobState: "PENDING", scanFutureJobs, limit: 1000 });
  return r.scannedJobs.length;
}

describe("the PENDING count", () => {
  it("splits into due and scheduled later, as the lists show them", async () => {
    await t.api.queues.createQueue({ name: "q_split" });
    await t.api.queues.enqueueJobs({ queueName: "q_split", jobs: Array.from({ length: 18 }, (_, i) => ({ body: `due ${i}`, priority: 1 + (i % 3) })) });
    await t.api.queues.enqueueJobs({
      queueName: "q_split",
      jobs: Array.from({ length: 6 }, (_, i) => ({ body: `later ${i}`, priority: i < 4 ? 1 : 3, runAfterTimestampMillis: T0 + 60_000 * (i + 1) })),
    });
    const q = await t.api.queues.getQueueSummary({ name: "q_split" });
    expect(q.counts.PENDING.total).toBe(24);
    expect(q.pendingLater).toEqual({ total: 6, byPriority: [4, 0, 2] });
    expect(await listed(false)).toBe(q.counts.PENDING.total - q.pendingLater.total);
    expect(await listed(true)).toBe(q.pendingLater.total);

    clock.set(T0 + 3 * 60_000 + 1); // three of the later ones fall due
    const after = await t.api.queues.getQueueSummary({ name: "q_split" });
    expect(after.pendingLater.total).toBe(3);
    expect(await listed(false)).toBe(21);
    expect((await t.api.queues.getQueueSummaries()).find((s) => s.name === "q_split")!.pendingLater.total).toBe(3);
  });
});
