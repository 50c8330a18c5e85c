// The event log of requests and chain jobs, on real PostgreSQL with an
// in-process worker and a manual clock: every request and chain-job
// transition writes exactly one event with the right actor, a guarded
// transition that does not apply writes none, and a request's history pages
// past 20 entries.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventInfo } from "../src/events/types.ts";
import { createTestEngine, ManualClock, type TestEngine } from "../src/testing.ts";
import { createWorker, type HourglassWorker } from "../src/worker/index.ts";
import { until } from "./helpers.ts";

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const clock = new ManualClock(T0);
const dir = mkdtempSync(join(tmpdir(), "hourglass-chain-events-"));
const TTL = 60_000;
const ME = "user:tester";
const WORKER = "worker:ev1";
let t: TestEngine;
let worker: HourglassWorker;

const SPECS = `sequences:
  two:
    request: true
    nodes:
      a: { category: job, type: noop }
      b: { category: job, type: noop, deps: [a] }
  always-fails:
    request: true
    nodes:
      bad:
        category: job
        type: shell
        args: [{ expected: command, given: cmd }]
        retry: 1
        retryWait: 1s
    args:
      static: [{ name: cmd, default: 'exit 3' }]
  seq-fails:
    request: true
    nodes:
      inner: { category: sequence, type: inner-steps, retry: 1 }
  inner-steps:
    args:
      static: [{ name: cmd, default: 'exit 4' }]
    nodes:
      setup: { category: job, type: noop }
      check:
        category: job
        type: shell
        args: [{ expected: command, given: cmd }]
        deps: [setup]
  slow:
    request: true
    args:
      static: [{ name: cmd, default: 'sleep 30' }]
    nodes:
      wait:
        category: job
        type: shell
        args: [{ expected: command, given: cmd }]
`;

beforeAll(async () => {
  t = await createTestEngine({ clock });
  writeFileSync(join(dir, "events.yaml"), SPECS);
  worker = createWorker(t.engine, {
    workerId: "ev1", pollIntervalMs: 20, concurrency: 4, childEnv: { PATH: process.env.PATH! },
    chains: { specsDir: dir, intervalMs: 1_000_000, suspendedTtlMillis: TTL },
  });
  await worker.start();
  await until(async () => (await t.api.requests.specs()).requests.length === 4, "the specs to load");
});

afterAll(async () => {
  await worker?.stop();
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Over HTTP as user:tester, so the actor is a real caller's id. */
async function call(path: string, input: unknown) {
  const r = await t.mutate(path, input);
  if (r.error) throw new Error(`${path}: ${r.error.message}`);
  return r.data;
}
const create = async (type: string) => (await call("requests.create", { type, args: {} })).id as string;

async function history(id: string): Promise<EventInfo[]> {
  return (await t.api.requests.history({ id, limit: 500 })).events;
}
async function jobHistory(id: string, name: string): Promise<EventInfo[]> {
  const job = (await t.api.requests.jobChain({ id })).jobs.find((j) => j.name === name)!;
  return (await t.api.requests.jobHistory({ id, jobId: job.id, limit: 500 })).events;
}
const brief = (events: EventInfo[]) => events.map((e) => [e.action, e.from, e.to, e.actor]);
const state = async (id: string) => (await t.api.requests.get({ id })).state;
const untilState = (id: string, want: string) =>
  until(async () => (await state(id)) === want, `request ${id} to be ${want}`);
/** How many events the log holds now (a transition that did not apply must leave it unchanged). */
const eventCount = async () =>
  Number((await t.db.sql.query<{ n: string }>(`SELECT count(*) AS n FROM event_log`)).rows[0]!.n);

describe("request and chain-job events", () => {
  it("a request that runs to the end: created, started, completed; each job began and completed once", async () => {
    const id = await create("two");
    await call("requests.start", { id });
    await untilState(id, "COMPLETE");
    expect(brief(await history(id))).toEqual([
      ["created", null, "PENDING", ME],
      ["started", "PENDING", "RUNNING", ME],
      ["completed", "RUNNING", "COMPLETE", WORKER],
    ]);
    const events = await history(id);
    expect(events[0]!.payload).toMatchObject({ type: "two", jobs: 4 });
    expect(new Set(events.map((e) => e.project))).toEqual(new Set(["default"]));
    expect(events.every((e) => e.atTimestampMillis === T0)).toBe(true);
    for (const name of ["two start", "a", "b", "two end"]) {
      const job = await jobHistory(id, name);
      expect(brief(job)).toEqual([
        ["began", "PENDING", "RUNNING", WORKER],
        ["completed", "RUNNING", "COMPLETE", WORKER],
      ]);
      expect(job.map((e) => e.payload?.try)).toEqual([1, 1]);
      expect(job[0]!.entityKind).toBe("chain_job");
      expect(job[0]!.entityId).toMatch(new RegExp(`^${id}/j[0-9]+$`));
    }
  });

  it("a failing job: a failed try with a retry left, then no retries left; the request fails", async () => {
    const id = await create("always-fails");
    await call("requests.start", { id });
    const bad = () => jobHistory(id, "bad");
    await until(async () => (await bad()).some((e) => e.action === "try-failed"), "the first try to fail");
    clock.advance(1_000); // the retry wait
    await untilState(id, "FAIL");
    expect(brief(await bad())).toEqual([
      ["began", "PENDING", "RUNNING", WORKER],
      ["try-failed", "RUNNING", "PENDING", WORKER],
      ["began", "PENDING", "RUNNING", WORKER],
      ["failed", "RUNNING", "FAIL", WORKER],
    ]);
    const [, retried, , failed] = await bad();
    expect(retried!.payload).toEqual({ try: 1, exitCode: 3, retryInMillis: 1000 });
    expect(retried!.reason).toBe("try 1 failed; retry 1 of 1 in 1000 ms");
    expect(failed!.payload).toEqual({ try: 2, exitCode: 3 });
    expect(brief(await history(id))).toEqual([
      ["created", null, "PENDING", ME],
      ["started", "PENDING", "RUNNING", ME],
      ["failed", "RUNNING", "FAIL", WORKER],
    ]);
  });

  it("a sequence retry resets its jobs, one event each, from the state each was in", async () => {
    const id = await create("seq-fails");
    await call("requests.start", { id });
    await untilState(id, "FAIL");
    expect(brief(await jobHistory(id, "setup"))).toEqual([
      ["began", "PENDING", "RUNNING", WORKER],
      ["completed", "RUNNING", "COMPLETE", WORKER],
      ["reset", "COMPLETE", "PENDING", WORKER],
      ["began", "PENDING", "RUNNING", WORKER],
      ["completed", "RUNNING", "COMPLETE", WORKER],
    ]);
    const check = await jobHistory(id, "check");
    expect(brief(check)).toEqual([
      ["began", "PENDING", "RUNNING", WORKER],
      ["reset", "RUNNING", "PENDING", WORKER],
      ["began", "PENDING", "RUNNING", WORKER],
      ["failed", "RUNNING", "FAIL", WORKER],
    ]);
    expect(check[1]!.payload).toMatchObject({ try: 1, sequenceTry: 2 });
    expect(check[1]!.reason).toMatch(/^sequence .+ reruns \(try 2\)$/);
    expect(check.map((e) => e.payload?.try)).toEqual([1, 1, 2, 2]);
  });

  it("operator suspend, resume, stop: the caller's id and reason; the try is interrupted, then stopped", async () => {
    const id = await create("slow");
    await call("requests.start", { id });
    const wait = () => jobHistory(id, "wait");
    await until(async () => (await wait()).length === 1, "the slow job to begin");
    await call("requests.suspend", { id, reason: "database maintenance" });
    await until(async () => (await wait()).length === 2, "the running try to be interrupted");
    await call("requests.resume", { id, reason: "maintenance done" });
    await until(async () => (await wait()).length === 3, "the job to begin again");
    await call("requests.stop", { id, reason: "not needed any more" });
    await untilState(id, "STOPPED");
    const events = await history(id);
    expect(brief(events)).toEqual([
      ["created", null, "PENDING", ME],
      ["started", "PENDING", "RUNNING", ME],
      ["suspended", "RUNNING", "SUSPENDED", ME],
      ["resumed", "SUSPENDED", "RUNNING", ME],
      ["stopped", "RUNNING", "STOPPED", ME],
    ]);
    expect(events.slice(2).map((e) => e.reason))
      .toEqual(["database maintenance", "maintenance done", "not needed any more"]);
    expect(events[2]!.payload).toEqual({ suspendReason: "operator" });
    // the killed try ends after the stop: its job is STOPPED already, so no further event
    const tries = () => t.api.requests.log({ requestId: id });
    await until(async () => (await tries()).every((l) => l.state !== "RUNNING"), "the try to end");
    expect(brief(await wait())).toEqual([
      ["began", "PENDING", "RUNNING", WORKER],
      ["interrupted", "RUNNING", "PENDING", WORKER],
      ["began", "PENDING", "RUNNING", WORKER],
      ["stopped", "RUNNING", "STOPPED", ME],
    ]);
    expect((await wait()).map((e) => e.payload?.try)).toEqual([1, 1, 2, 2]);
  });

  it("a stop of a pending request stops its jobs, one event each", async () => {
    const id = await create("two");
    await call("requests.stop", { id, reason: "changed my mind" });
    expect(brief(await history(id))).toEqual([["created", null, "PENDING", ME], ["stopped", "PENDING", "STOPPED", ME]]);
    for (const name of ["two start", "a", "b", "two end"]) {
      expect(brief(await jobHistory(id, name))).toEqual([["stopped", "PENDING", "STOPPED", ME]]);
    }
  });

  it("a transition its request's state does not allow is a conflict and writes no event", async () => {
    const done = await create("two");
    await call("requests.start", { id: done });
    await untilState(done, "COMPLETE");
    const pending = await create("two");
    const before = await eventCount();
    for (const [path, id] of [
      ["requests.stop", done], ["requests.suspend", done], ["requests.resume", done], ["requests.start", done],
      ["requests.suspend", pending], ["requests.resume", pending],
    ] as const) {
      const r = await t.mutate(path, { id });
      expect(r.error?.data?.code, `${path} ${id}`).toBe("CONFLICT");
    }
    expect(await eventCount()).toBe(before);
    expect((await history(done)).map((e) => e.action)).toEqual(["created", "started", "completed"]);
  });

  it("a request suspended past its TTL expires: SUSPENDED → FAIL by system:chains", async () => {
    const id = await create("slow");
    await call("requests.start", { id });
    await until(async () => (await jobHistory(id, "wait")).length === 1, "the slow job to begin");
    await call("requests.suspend", { id });
    await until(async () => (await jobHistory(id, "wait")).length === 2, "the running try to be interrupted");
    await worker.chains!.passOnce();
    expect(await state(id)).toBe("SUSPENDED"); // not past its TTL yet
    clock.advance(TTL + 1);
    await worker.chains!.passOnce();
    expect(await state(id)).toBe("FAIL");
    const last = (await history(id)).at(-1)!;
    expect([last.action, last.from, last.to, last.actor, last.reason])
      .toEqual(["expired", "SUSPENDED", "FAIL", "system:chains", `suspended for longer than ${TTL} ms`]);
    await worker.chains!.passOnce();
    expect((await history(id)).filter((e) => e.action === "expired")).toHaveLength(1);
  });

  it("a request's history pages past 20 entries, oldest first, complete", async () => {
    const id = await create("slow");
    await call("requests.start", { id });
    for (let i = 0; i < 11; i++) {
      await call("requests.suspend", { id, reason: `pause ${i}` });
      await call("requests.resume", { id, reason: `go ${i}` });
    }
    await call("requests.stop", { id });
    const seen: EventInfo[] = [];
    let after: string | undefined;
    const sizes: number[] = [];
    do {
      const page = await t.query("requests.history", { id, limit: 10, ...(after && { after }) });
      expect(page.data.total).toBe(25);
      seen.push(...page.data.events);
      sizes.push(page.data.events.length);
      after = page.data.next ?? undefined;
    } while (after);
    expect(sizes).toEqual([10, 10, 5]);
    expect(seen.map((e) => e.action)).toEqual([
      "created", "started", ...Array.from({ length: 11 }, () => ["suspended", "resumed"]).flat(), "stopped",
    ]);
    expect(seen.filter((e) => e.action === "suspended").map((e) => e.reason))
      .toEqual(Array.from({ length: 11 }, (_, i) => `pause ${i}`));
    expect(new Set(seen.map((e) => e.id)).size).toBe(25);
  });
});
