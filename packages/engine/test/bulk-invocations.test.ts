// Invocations in bulk and "run again with the same triggers", on real
// PostgreSQL with an in-process worker: abort a selection (the finished ones
// skipped with their state), abort every active one in batches, and rerun an
// invocation whose new one receives copies of its triggers.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTriageOnce } from "../src/scheduler/host/triage.ts";
import { createTestEngine, type TestEngine } from "../src/testing.ts";
import { createWorker, type HourglassWorker } from "../src/worker/index.ts";
import { until } from "./helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "hourglass-bulk-inv-"));
let t: TestEngine;
let worker: HourglassWorker;

const PROJECT = `jobs:
  - id: slow
    task: { kind: shell, command: sleep, args: ["30"] }
    triggering_policy: { kind: GREEDY_BATCHING, max_concurrent_invocations: 5, max_batch_size: 1 }
  - id: quick
    task: { kind: noop }
`;

beforeAll(async () => {
  t = await createTestEngine();
  writeFileSync(join(dir, "bulk.yaml"), PROJECT);
  worker = createWorker(t.engine, {
    workerId: "bulk-inv", pollIntervalMs: 20, childEnv: { PATH: process.env.PATH! },
    scheduler: { projectsDir: dir, intervalMs: 1_000_000, catalogIntervalMs: 1_000_000 },
  });
  // syncs the catalog and creates the invocations queue once; the test runs the passes
  await worker.start();
  worker.scheduler!.stop();
});
afterAll(async () => {
  await worker?.stop();
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function settle() {
  while ((await runTriageOnce(t.engine.ctx)) > 0);
}
const invocations = async (job: string) => (await t.api.scheduler.getInvocations({ job })).invocations;

describe("abort many invocations", () => {
  it("a selection aborts the active ones and says why it skipped the finished one; every active one goes in batches", async () => {
    await t.api.scheduler.emitTriggers({ batches: [1, 2, 3, 4].map((n) => ({ trigger: { id: `t${n}` }, jobs: ["bulk/slow"] })) });
    await settle();
    await until(async () => (await invocations("bulk/slow")).filter((i) => i.state === "RUNNING").length === 4, "4 running invocations");
    const [a, b, c, d] = (await invocations("bulk/slow")).map((i) => i.id);
    const first = await t.api.scheduler.abortInvocations({ job: "bulk/slow", invocationIds: [a!] });
    expect(first).toEqual({ aborted: 1, skipped: [], next: null });
    const second = await t.api.scheduler.abortInvocations({ job: "bulk/slow", invocationIds: [a!, b!, "999999"] });
    expect(second.aborted).toBe(1);
    expect(second.skipped).toEqual([
      { reason: "no such invocation", count: 1, invocationIds: ["999999"] },
      { reason: "ABORTED: only STARTING, RETRYING, RUNNING invocations can be aborted", count: 1, invocationIds: [a] },
    ]);
    const batches: number[] = [];
    let after: string | undefined;
    for (;;) {
      const r = await t.api.scheduler.abortInvocations({ job: "bulk/slow", limit: 1, after });
      batches.push(r.aborted);
      if (!r.next) break;
      after = r.next;
    }
    expect(batches.reduce((x, y) => x + y, 0)).toBe(2);
    for (const id of [c, d]) {
      expect((await t.api.scheduler.getInvocation({ job: "bulk/slow", invocationId: id! })).state).toBe("ABORTED");
    }
    const events = await t.db.sql.query<{ actor: string; payload: { invocations: string[] } }>(
      `SELECT actor, payload FROM event_log WHERE entity_kind = 'scheduler_job' AND action = 'invocations_aborted' ORDER BY id`);
    expect(events.rows.flatMap((e) => e.payload.invocations).sort()).toEqual([a, b, c, d].sort());
    expect(events.rows[0]!.actor).toBe("test");
  });

  it("validates its input", async () => {
    const r = await t.mutate("scheduler.abortInvocations", { job: "bulk/slow", invocationIds: ["1"], after: "2" });
    expect(r.status).toBe(400);
    const missing = await t.mutate("scheduler.abortInvocations", { job: "bulk/nope" });
    expect(missing.error.data.errorCode).toBe("JOB_NOT_FOUND");
  });
});

describe("run again with the same triggers", () => {
  it("the new invocation receives copies of the old one's triggers", async () => {
    const trigger = { id: "deploy-42", title: "deploy 42", properties: { commit: "abc" }, tags: ["ci"] };
    await t.api.scheduler.emitTriggers({ batches: [{ trigger, jobs: ["bulk/quick"] }] });
    await settle();
    await until(async () => (await invocations("bulk/quick"))[0]?.state === "SUCCEEDED", "the first invocation to succeed");
    const [old] = await invocations("bulk/quick");
    expect(await t.api.scheduler.rerunInvocation({ job: "bulk/quick", invocationId: old!.id })).toEqual({ accepted: 1, ignored: 0 });
    await settle();
    await until(async () => (await invocations("bulk/quick")).length === 2, "a second invocation");
    const [again] = await invocations("bulk/quick");
    const detail = await t.api.scheduler.getInvocation({ job: "bulk/quick", invocationId: again!.id });
    expect(detail.incomingTriggers).toEqual([expect.objectContaining({
      id: expect.stringMatching(new RegExp(`^rerun:${old!.id}:0:`)), title: "deploy 42", properties: { commit: "abc" }, tags: ["ci", "rerun"],
    })]);
    const [ev] = (await t.db.sql.query<{ reason: string }>(
      `SELECT reason FROM event_log WHERE entity_id = 'bulk/quick' AND action = 'rerun'`)).rows;
    expect(ev!.reason).toBe(`invocation ${old!.id} runs again with its 1 trigger(s)`);
  });
});
