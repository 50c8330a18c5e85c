// Requests in bulk and "retry from the failed job", on real PostgreSQL with an
// in-process worker: a failed request retried from its failed job completes
// (what completed is not run again); stop / suspend / resume of a selection
// and of a filter walked in batches, each skipped request with its reason; a
// bounded count; the summaries in the event log with who and why.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEngine, type TestEngine } from "../src/testing.ts";
import { ChainLoops, QueueWorker } from "../src/worker/index.ts";
import { until } from "./helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "hourglass-bulk-specs-"));
const scratch = mkdtempSync(join(tmpdir(), "hourglass-bulk-scratch-"));
let t: TestEngine;
let worker: QueueWorker;
let loops: ChainLoops;

// `gated` fails until the file named by its key exists; `waiting` runs until it exists; `parked` is never started here.
const SPECS = `sequences:
  gated:
    request: true
    args:
      required: [{ name: key }]
      static: [{ name: cmd, default: 'echo checked >> "$DIR/$ARG_KEY.log"; [ -f "$DIR/$ARG_KEY" ]' }]
    nodes:
      first:
        category: job
        type: noop
      gate:
        category: job
        type: shell
        args: [{ expected: command, given: cmd }, { expected: key }]
        deps: [first]
      after:
        category: job
        type: noop
        deps: [gate]
  waiting:
    request: true
    args:
      required: [{ name: key }]
      static: [{ name: cmd, default: 'while [ ! -f "$DIR/$ARG_KEY" ]; do sleep 0.05; done' }]
    nodes:
      wait:
        category: job
        type: shell
        args: [{ expected: command, given: cmd }, { expected: key }]
  parked:
    request: true
    args:
      optional: [{ name: n, default: "0" }]
    nodes:
      only:
        category: job
        type: noop
`;

beforeAll(async () => {
  t = await createTestEngine();
  writeFileSync(join(dir, "test.yaml"), SPECS);
  loops = new ChainLoops(t.engine, { specsDir: dir, intervalMs: 200, suspendedTtlMillis: 3_600_000, handlerTypes: [] });
  await loops.start();
  const env = { PATH: process.env.PATH!, DIR: scratch };
  worker = new QueueWorker(t.engine, {
    workerId: "bulk", pollIntervalMs: 20, concurrency: 4, childEnv: env, handlers: loops.handlers({ baseEnv: env }),
  });
  await worker.start();
});

afterAll(async () => {
  loops?.stop();
  await worker?.stop();
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

const state = async (id: string) => (await t.api.requests.get({ id })).state;
const final = (id: string) =>
  until(async () => ["COMPLETE", "FAIL", "STOPPED"].includes(await state(id)), `request ${id} to finish`, 30_000);

describe("retry from the failed job", () => {
  it("a failed request retried from its failed job completes; its completed jobs do not run again", async () => {
    const req = await t.api.requests.create({ type: "gated", args: { key: "g1" }, start: true });
    await final(req.id);
    expect(await state(req.id)).toBe("FAIL");
    const refused = await t.mutate("requests.resume", { id: req.id });
    expect(refused.error.data.errorCode).toBe("CONFLICT");

    writeFileSync(join(scratch, "g1"), "open");
    const retried = await t.api.requests.retry({ id: req.id, reason: "gate opened" });
    expect(retried.state).toBe("RUNNING");
    await final(req.id);
    expect(await t.api.requests.get({ id: req.id })).toMatchObject({ state: "COMPLETE", finishedJobs: retried.totalJobs });
    const log = await t.api.requests.log({ requestId: req.id });
    expect(log.filter((l) => l.name === "first").map((l) => l.state)).toEqual(["COMPLETE"]);
    expect(log.filter((l) => l.name === "gate").map((l) => [l.try, l.state])).toEqual([[1, "FAIL"], [2, "COMPLETE"]]);
    const history = await t.api.requests.history({ id: req.id });
    expect(history.events.find((e) => e.action === "retried")).toMatchObject({
      from: "FAIL", to: "RUNNING", reason: "gate opened", actor: "test", payload: { jobs: 1 },
    });
    const again = await t.mutate("requests.retry", { id: req.id });
    expect([again.status, again.error.message]).toEqual([409, expect.stringMatching(/is COMPLETE; it must be FAIL/)]);
  });
});

describe("bulk stop, suspend and resume", () => {
  it("a bounded count, then stop by filter in batches that visit each request once", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await t.api.requests.create({ type: "parked", args: { n: String(i) } })).id);
    const filter = { type: "parked", states: ["PENDING" as const] };
    expect(await t.api.requests.count({ filter, cap: 3 })).toEqual({ count: 3, capped: true });
    expect(await t.api.requests.count({ filter })).toEqual({ count: 5, capped: false });

    const batches: number[] = [];
    let after: string | undefined;
    do {
      const r = await t.api.requests.stopMany({ filter: { type: "parked" }, reason: "clean-up", limit: 2, after });
      batches.push(r.done);
      after = r.next ?? undefined;
    } while (after);
    expect(batches).toEqual([2, 2, 1]);
    for (const id of ids) expect(await state(id)).toBe("STOPPED");
    const again = await t.api.requests.stopMany({ filter: { type: "parked" }, reason: "again", limit: 10 });
    expect(again).toEqual({
      done: 0, next: null,
      skipped: [{ reason: "STOPPED: only PENDING, RUNNING, SUSPENDED requests can be stopped", count: 5, ids: expect.any(Array) }],
    });
    const summaries = await t.db.sql.query<{ reason: string; payload: { count: number; types: string[] }; entity_kind: string }>(
      `SELECT reason, payload, entity_kind FROM event_log WHERE action = 'requests_stopped' ORDER BY id`);
    expect(summaries.rows.map((r) => [r.entity_kind, r.reason, r.payload.count, r.payload.types])).toEqual([
      ["project", "clean-up", 2, ["parked"]], ["project", "clean-up", 2, ["parked"]], ["project", "clean-up", 1, ["parked"]],
    ]);
    // each request's own event says who stopped it and why
    const h = await t.api.requests.history({ id: ids[0]! });
    expect(h.events.at(-1)).toMatchObject({ action: "stopped", reason: "clean-up", actor: "test" });
  });

  it("suspend and resume a selection; requests in other states are skipped with their state", async () => {
    const running = [];
    for (let i = 0; i < 2; i++) running.push((await t.api.requests.create({ type: "waiting", args: { key: `s${i}` }, start: true })).id);
    const pending = (await t.api.requests.create({ type: "parked", args: {} })).id;
    for (const id of running) {
      await until(async () => (await t.api.requests.running({ requestId: id })).jobs.length === 1, `request ${id} to run its job`);
    }
    const suspended = await t.api.requests.suspendMany({ ids: [...running, pending], reason: "maintenance" });
    expect(suspended.done).toBe(2);
    expect(suspended.skipped).toEqual([{ reason: "PENDING: only RUNNING requests can be suspended", count: 1, ids: [pending] }]);
    for (const id of running) expect(await t.api.requests.get({ id })).toMatchObject({ state: "SUSPENDED", suspendReason: "operator" });
    const h = await t.api.requests.history({ id: running[0]! });
    expect(h.events.at(-1)).toMatchObject({ action: "suspended", reason: "maintenance", actor: "test" });
    for (let i = 0; i < 2; i++) writeFileSync(join(scratch, `s${i}`), "open");
    const resumed = await t.api.requests.resumeMany({ ids: [...running, pending] });
    expect([resumed.done, resumed.skipped.map((s) => s.reason)]).toEqual([2, ["PENDING: only SUSPENDED requests can be resumed"]]);
    for (const id of running) await final(id);
    for (const id of running) expect(await state(id)).toBe("COMPLETE");
  });

  it("validates: a reason for stop and suspend, one target, a type for a filter", async () => {
    const noReason = await t.mutate("requests.stopMany", { ids: ["abc"] });
    expect([noReason.status, noReason.error.message]).toEqual([400, expect.stringMatching(/reason/)]);
    const both = await t.mutate("requests.stopMany", { ids: ["abc"], filter: { type: "parked" }, reason: "x" });
    expect([both.status, both.error.message]).toEqual([400, expect.stringMatching(/one of them/)]);
    const untyped = await t.mutate("requests.stopMany", { filter: {}, reason: "x" });
    expect(untyped.status).toBe(400);
    const missing = await t.mutate("requests.stopMany", { ids: ["nosuchrequest"], reason: "x" });
    expect([missing.status, missing.error.data.errorCode]).toEqual([404, "REQUEST_NOT_FOUND"]);
    const badCursor = await t.mutate("requests.stopMany", { filter: { type: "parked" }, reason: "x", after: "zz" });
    expect(badCursor.status).toBe(400);
  });
});
