// Ids are bigints but the API returns them as text (`id::text AS id`). An
// ORDER BY naming `id` then sorts by the text alias ("10000" < "9999") while
// keyset cursors compare numbers, so pages stop early or skip rows once ids
// cross a power of ten. Each read here is paged over ids 9350–10349.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncCatalog } from "../src/scheduler/host/catalog-sync.ts";
import { INVOCATIONS_QUEUE, runTriageOnce } from "../src/scheduler/host/triage.ts";
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

/** The next row of `table` gets id `next`. */
const startIdsAt = (table: string, next: number) =>
  t.db.sql.query(`SELECT setval(pg_get_serial_sequence($1, 'id'), $2, false)`, [table, next]);

describe("scanJobs pages across a power of ten", () => {
  const ids: string[] = [];
  beforeAll(async () => {
    await t.api.queues.createQueue({ name: "q_ids" });
    await startIdsAt("queue_job", 9350);
    // one runAfter for all (ties broken by id), with all three priorities mixed in
    const jobs = Array.from({ length: 1000 }, (_, i) => ({ body: `job ${i}`, priority: (i % 7 === 0 ? 2 : i % 11 === 0 ? 3 : 1) }));
    const r = await t.api.queues.enqueueJobs({ queueName: "q_ids", jobs });
    ids.push(...r.jobDescriptors);
    expect(ids[0]).toBe("q_ids:9350");
    expect(ids.at(-1)).toBe("q_ids:10349");
  });

  async function scanAll(limit: number, priority?: number): Promise<string[]> {
    const seen: string[] = [];
    let continuation = "0";
    for (let pages = 0; continuation !== "-1"; pages++) {
      if (pages > 2000) throw new Error("scan does not end");
      const r = await t.api.queues.scanJobs({ queueName: "q_ids", jobState: "PENDING", limit, continuation, priority });
      seen.push(...r.scannedJobs.map((j) => j.jobDescriptor));
      continuation = r.continuation;
    }
    return seen;
  }

  for (const limit of [1, 7, 10, 25, 100, 999, 1000]) {
    it(`reaches every job exactly once with pages of ${limit}, newest id first`, async () => {
      const seen = await scanAll(limit);
      expect(seen).toHaveLength(ids.length);
      expect(new Set(seen).size).toBe(ids.length);
      // one runAfter: the order is id descending, numerically
      const numeric = seen.map((d) => Number(d.split(":")[1]));
      expect(numeric).toEqual([...numeric].sort((a, b) => b - a));
    });
  }

  it("reaches every job of one priority exactly once", async () => {
    const all = await t.api.queues.lookupJobs({ jobDescriptors: ids.slice(0, 1000) });
    const ofPriority1 = ids.filter((d) => all[d]!.priority === 1);
    const seen = await scanAll(25, 1);
    expect(seen.sort()).toEqual(ofPriority1.sort());
  });
});

describe("a dry-run dequeue picks the lowest ids first", () => {
  it("returns the numerically oldest of equal jobs", async () => {
    await t.api.queues.createQueue({ name: "q_dry" });
    await startIdsAt("queue_job", 99_998);
    const { jobDescriptors } = await t.api.queues.enqueueJobs({ queueName: "q_dry", jobs: [{ body: "a" }, { body: "b" }, { body: "c" }] });
    expect(jobDescriptors).toEqual(["q_dry:99998", "q_dry:99999", "q_dry:100000"]);
    const r = await t.api.queues.dequeueJobs({ queueName: "q_dry", limit: 2, dryRun: true });
    expect(Object.keys(r.jobs)).toEqual(["q_dry:99998", "q_dry:99999"]);
  });
});

describe("scheduler reads across a power of ten", () => {
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "hourglass-ids-"));
    writeFileSync(join(dir, "p.yaml"), "jobs:\n  - id: j\n    task: { kind: noop }\n");
    await syncCatalog(t.engine.ctx, dir);
    rmSync(dir, { recursive: true, force: true });
    await t.engine.internal.queues.createQueue({ id: "test" }, { name: INVOCATIONS_QUEUE });
  });

  it("getInvocations reaches every invocation exactly once, newest first", async () => {
    const now = clock.now();
    await startIdsAt("scheduler_invocation", 950);
    await t.db.sql.query(
      `INSERT INTO scheduler_invocation (job_key, state, revision, task, triggered_by, started_at, finished_at)
       SELECT 'p/j', 'SUCCEEDED', 'r1', '{"kind":"noop"}', 'test', $1, $1 FROM generate_series(1, 100)`, [now]);
    for (const pageSize of [1, 7, 10, 50]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const r = await t.api.scheduler.getInvocations({ job: "p/j", pageSize, ...(cursor && { cursor }) });
        seen.push(...r.invocations.map((i) => i.id));
        cursor = r.nextCursor ?? undefined;
      } while (cursor);
      expect(seen.map(Number)).toEqual(Array.from({ length: 100 }, (_, i) => 1049 - i));
    }
  });

  it("triage takes triggers emitted together in id order, numerically", async () => {
    await startIdsAt("scheduler_trigger", 98);
    const batches = ["a", "b", "c", "d"].map((id) => ({ trigger: { id }, jobs: ["p/j"] }));
    expect(await t.api.scheduler.emitTriggers({ batches })).toMatchObject({ accepted: 4 });
    const rows = (await t.db.sql.query(`SELECT id::text AS id FROM scheduler_trigger ORDER BY scheduler_trigger.id`)).rows;
    expect(rows.map((r) => r.id)).toEqual(["98", "99", "100", "101"]);
    while ((await runTriageOnce(t.engine.ctx)) > 0);
    const [inv] = (await t.api.scheduler.getInvocations({ job: "p/j", pageSize: 1 })).invocations;
    const full = await t.api.scheduler.getInvocation({ job: "p/j", invocationId: inv!.id });
    expect((full.incomingTriggers as { id: string }[]).map((tr) => tr.id)).toEqual(["a", "b", "c", "d"]);
  });
});
