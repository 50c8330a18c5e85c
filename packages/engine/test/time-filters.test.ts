// Time-range filters of the lists that have time: queue jobs by runAfter
// (scanJobs) and invocations by when they started (getInvocations), with
// keyset pages inside the range and a clear error for a range that ends
// before it starts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncCatalog } from "../src/scheduler/host/catalog-sync.ts";
import { createTestEngine, ManualClock, type TestEngine } from "../src/testing.ts";

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const HOUR = 3_600_000;
let t: TestEngine;
const dir = mkdtempSync(join(tmpdir(), "hourglass-time-filters-"));

beforeAll(async () => {
  t = await createTestEngine({ clock: new ManualClock(T0) });
  await t.api.queues.createQueue({ name: "tf_jobs", project: "tf" });
  // one job due every hour from T0 - 9 h to T0 (runAfter in the past: all due now)
  await t.api.queues.enqueueJobs({
    queueName: "tf_jobs", jobs: Array.from({ length: 10 }, (_, i) => ({ body: `j${i}`, runAfterTimestampMillis: T0 - (9 - i) * HOUR })),
  });
  writeFileSync(join(dir, "tf.yaml"), "jobs:\n  - id: hourly\n    schedule: triggered\n    task: { kind: noop }\n");
  await syncCatalog(t.engine.ctx, dir);
  // invocations as the triage starts them, one an hour (what starts them is not what is tested here)
  for (let i = 0; i < 10; i++) {
    await t.db.sql.query(
      `INSERT INTO scheduler_invocation (job_key, revision, task, triggered_by, started_at, finished_at, state)
       VALUES ('tf/hourly', 'r1', '{}', 'test', $1, $1, 'SUCCEEDED')`, [new Date(T0 - (9 - i) * HOUR)]);
  }
}, 60_000);

afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("queue jobs by runAfter", () => {
  it("lists only jobs due in [since, until), newest first, paging inside the range", async () => {
    const range = { runAfterSinceTimestampMillis: T0 - 5 * HOUR, runAfterUntilTimestampMillis: T0 - HOUR };
    const first = await t.api.queues.scanJobs({ queueName: "tf_jobs", jobState: "PENDING", limit: 3, ...range });
    expect(first.scannedJobs.map((j) => j.runAfterTimestampMillis)).toEqual([T0 - 2 * HOUR, T0 - 3 * HOUR, T0 - 4 * HOUR]);
    const next = await t.api.queues.scanJobs({ queueName: "tf_jobs", jobState: "PENDING", limit: 3, continuation: first.continuation, ...range });
    expect(next.scannedJobs.map((j) => j.runAfterTimestampMillis)).toEqual([T0 - 5 * HOUR]);
    expect(next.continuation).toBe("-1");
    const sinceOnly = await t.api.queues.scanJobs({ queueName: "tf_jobs", jobState: "PENDING", runAfterSinceTimestampMillis: T0 - HOUR });
    expect(sinceOnly.scannedJobs).toHaveLength(2);
  });

  it("says so when the range ends before it starts", async () => {
    const r = await t.query("queues.scanJobs", {
      queueName: "tf_jobs", jobState: "PENDING", runAfterSinceTimestampMillis: T0, runAfterUntilTimestampMillis: T0 - 1,
    });
    expect(r.status).toBe(400);
    expect(r.error.message).toMatch(/runAfterSinceTimestampMillis must be before runAfterUntilTimestampMillis/);
  });
});

describe("invocations by when they started", () => {
  it("lists only invocations started in [since, until), newest first, paging inside the range", async () => {
    const range = { startedSinceTimestampMillis: T0 - 6 * HOUR, startedUntilTimestampMillis: T0 - 2 * HOUR };
    const first = await t.api.scheduler.getInvocations({ job: "tf/hourly", pageSize: 3, ...range });
    expect(first.invocations.map((i) => i.startedTimestampMillis)).toEqual([T0 - 3 * HOUR, T0 - 4 * HOUR, T0 - 5 * HOUR]);
    const next = await t.api.scheduler.getInvocations({ job: "tf/hourly", pageSize: 3, cursor: first.nextCursor!, ...range });
    expect(next.invocations.map((i) => i.startedTimestampMillis)).toEqual([T0 - 6 * HOUR]);
    expect(next.nextCursor).toBeNull();
    const r = await t.query("scheduler.getInvocations", { job: "tf/hourly", startedSinceTimestampMillis: T0, startedUntilTimestampMillis: T0 });
    expect(r.status).toBe(400);
  });
});
