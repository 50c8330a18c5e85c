// Requests on real PostgreSQL, run by an in-process worker: a flaky job that
// succeeds on retry, a sequence retry, a failing chain, stop, suspend /
// resume, data passed from parent to child, find's filters, and scheduler
// jobs of task kind `request`.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEngine, type TestEngine } from "../src/testing.ts";
import { ChainLoops, QueueWorker, SchedulerLoops } from "../src/worker/index.ts";
import { until } from "./helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "hourglass-specs-"));
const projects = mkdtempSync(join(tmpdir(), "hourglass-chain-projects-"));
const scratch = mkdtempSync(join(tmpdir(), "hourglass-chain-scratch-"));
let t: TestEngine;
let worker: QueueWorker;
let loops: ChainLoops;
let scheduler: SchedulerLoops;

const PROJECT = `jobs:
  - id: run-chain
    task: { kind: request, type: pass-data }
  - id: run-failing
    task: { kind: request, type: flaky, args: { fails: 9, key: from-scheduler } }
  - id: run-slow
    task: { kind: request, type: slow }
    triggering_policy: { kind: GREEDY_BATCHING, max_concurrent_invocations: 5 }
  - id: run-unknown
    task: { kind: request, type: no-such-request }
`;

// `flaky` fails until its counter file reaches `fails`; `seqflaky` fails once per sequence try until `fails`.
const SPECS = `sequences:
  flaky:
    request: true
    args:
      required: [{ name: fails }, { name: key }]
      static: [{ name: cmd, default: 'n=$(cat "$DIR/$ARG_KEY" 2>/dev/null || echo 0); echo $((n+1)) > "$DIR/$ARG_KEY"; echo "try $((n+1))"; [ $n -ge $ARG_FAILS ]' }]
    nodes:
      first:
        category: job
        type: shell
        args: [{ expected: command, given: cmd }, { expected: fails }, { expected: key }]
        retry: 2
        retryWait: 50ms
  seq-retry:
    request: true
    args:
      required: [{ name: fails }, { name: key }]
    nodes:
      inner:
        category: sequence
        type: two-steps
        retry: 2
  two-steps:
    args:
      static: [{ name: cmd, default: 'n=$(cat "$DIR/$ARG_KEY" 2>/dev/null || echo 0); echo $((n+1)) > "$DIR/$ARG_KEY"; [ $n -ge $ARG_FAILS ]' }]
    nodes:
      setup:
        category: job
        type: noop
      check:
        category: job
        type: shell
        args: [{ expected: command, given: cmd }, { expected: fails }, { expected: key }]
        deps: [setup]
  pass-data:
    request: true
    args:
      static:
        - { name: produce, default: 'echo "::set version=1.2.3"' }
        - { name: consume, default: 'echo "got $ARG_VERSION"; [ "$ARG_VERSION" = 1.2.3 ]' }
    nodes:
      produce:
        category: job
        type: shell
        args: [{ expected: command, given: produce }]
        sets: [{ arg: version }]
      consume:
        category: job
        type: shell
        args: [{ expected: command, given: consume }, { expected: version }]
        deps: [produce]
  boom-and-wait:
    request: true
    args:
      static: [{ name: boom, default: 'echo boom >&2; exit 2' }, { name: wait, default: 'sleep 30' }]
    nodes:
      boom:
        category: job
        type: shell
        args: [{ expected: command, given: boom }]
      wait:
        category: job
        type: shell
        args: [{ expected: command, given: wait }]
      after:
        category: job
        type: noop
        deps: [boom, wait]
  slow:
    request: true
    args:
      optional: [{ name: seconds, default: "30" }]
      static: [{ name: cmd, default: 'sleep $ARG_SECONDS' }]
    nodes:
      wait:
        category: job
        type: shell
        args: [{ expected: command, given: cmd }, { expected: seconds }]
      after:
        category: job
        type: noop
        deps: [wait]
`;

beforeAll(async () => {
  t = await createTestEngine();
  writeFileSync(join(dir, "test.yaml"), SPECS);
  loops = new ChainLoops(t.engine, { specsDir: dir, intervalMs: 200, suspendedTtlMillis: 3_600_000, handlerTypes: [] });
  await loops.start();
  writeFileSync(join(projects, "chains.yaml"), PROJECT);
  scheduler = new SchedulerLoops(t.engine, { projectsDir: projects, intervalMs: 50, catalogIntervalMs: 1_000_000 });
  await scheduler.start();
  const env = { PATH: process.env.PATH!, DIR: scratch };
  worker = new QueueWorker(t.engine, {
    workerId: "chains", pollIntervalMs: 20, concurrency: 10, childEnv: env,
    handlers: { ...loops.handlers({ baseEnv: env }), ...scheduler.handlers({ baseEnv: env }) },
  });
  await worker.start();
});

afterAll(async () => {
  loops?.stop();
  scheduler?.stop();
  await worker?.stop();
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(projects, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

const final = (id: string) => until(async () => ["COMPLETE", "FAIL", "STOPPED"].includes((await t.api.requests.get({ id })).state), `request ${id} to finish`, 30_000);

describe("requests", () => {
  it("lists request types with their args", async () => {
    const specs = await t.api.requests.specs();
    expect(specs.errors).toEqual([]);
    expect(specs.requests.map((r) => r.name)).toEqual(["boom-and-wait", "flaky", "pass-data", "seq-retry", "slow"]);
    expect(specs.requests.find((r) => r.name === "slow")!.args).toEqual([{ name: "seconds", desc: "", kind: "optional", default: "30" }]);
  });

  it("rejects missing and unknown args without storing anything", async () => {
    const r = await t.mutate("requests.create", { type: "flaky", args: { key: "x", colour: "red" } });
    expect(r.status).toBe(400);
    expect(r.error.message).toMatch(/unknown arg colour/);
    expect((await t.api.requests.find({})).requests).toHaveLength(0);
  });

  it("a flaky job succeeds on retry; the job log has every try", async () => {
    const req = await t.api.requests.create({ type: "flaky", args: { fails: "2", key: "flaky" }, start: true });
    await final(req.id);
    expect(await t.api.requests.get({ id: req.id })).toMatchObject({ state: "COMPLETE", finishedJobs: 3, totalJobs: 3 });
    const log = (await t.api.requests.log({ requestId: req.id })).filter((l) => l.name === "first");
    expect(log.map((l) => [l.try, l.state, l.exitCode])).toEqual([[1, "FAIL", 1], [2, "FAIL", 1], [3, "COMPLETE", 0]]);
    expect(log[2]!.stdout).toBe("try 3\n");
  });

  it("fails when the job runs out of retries", async () => {
    const req = await t.api.requests.create({ type: "flaky", args: { fails: "5", key: "failing" }, start: true });
    await final(req.id);
    expect((await t.api.requests.get({ id: req.id })).state).toBe("FAIL");
    const chain = await t.api.requests.jobChain({ id: req.id });
    expect(chain.jobs.find((j) => j.name === "first")).toMatchObject({ state: "FAIL", tries: 3 });
    expect(chain.jobs.find((j) => j.role === "end" && j.name === "flaky end")!.state).toBe("PENDING");
  });

  it("retries a whole sequence when its job fails for good", async () => {
    const req = await t.api.requests.create({ type: "seq-retry", args: { fails: "2", key: "seq" }, start: true });
    await final(req.id);
    expect((await t.api.requests.get({ id: req.id })).state).toBe("COMPLETE");
    const chain = await t.api.requests.jobChain({ id: req.id });
    expect(chain.sequences.find((s) => s.name === "two-steps")).toMatchObject({ retry: 2, tries: 3 });
    const setupTries = (await t.api.requests.log({ requestId: req.id })).filter((l) => l.name === "setup");
    expect(setupTries).toHaveLength(3); // the sequence reran from its start
  });

  it("passes data a job sets to its children", async () => {
    const req = await t.api.requests.create({ type: "pass-data", args: {}, start: true });
    await final(req.id);
    expect((await t.api.requests.get({ id: req.id })).state).toBe("COMPLETE");
    const consume = (await t.api.requests.log({ requestId: req.id })).find((l) => l.name === "consume")!;
    expect(consume.stdout).toBe("got 1.2.3\n");
  });

  it("stop kills the running job and logs its try as STOPPED", async () => {
    const req = await t.api.requests.create({ type: "slow", args: {}, start: true });
    await until(async () => (await t.api.requests.running({ requestId: req.id })).jobs.some((j) => j.name === "wait"), "the slow job to run");
    expect((await t.api.requests.stop({ id: req.id })).state).toBe("STOPPED");
    await until(async () => (await t.api.requests.log({ requestId: req.id })).some((l) => l.name === "wait" && l.state === "STOPPED"), "the try to be logged as stopped");
    const conflict = await t.mutate("requests.resume", { id: req.id });
    expect(conflict.status).toBe(409);
    expect(conflict.error.message).toMatch(/is STOPPED; it must be SUSPENDED/);
  });

  it("suspend interrupts the chain with progress kept; resume finishes it", async () => {
    const req = await t.api.requests.create({ type: "slow", args: { seconds: "1" }, start: true });
    // the sleeping job itself (the sequence's start job runs first, briefly)
    await until(async () => (await t.api.requests.running({ requestId: req.id })).jobs.some((j) => j.name === "wait"), "the job to run");
    expect((await t.api.requests.suspend({ id: req.id })).state).toBe("SUSPENDED");
    await until(async () => (await t.api.requests.running({ requestId: req.id })).jobs.length === 0, "the running try to stop");
    expect((await t.api.requests.jobChain({ id: req.id })).jobs.find((j) => j.name === "wait")!.state).toBe("PENDING");
    await t.api.requests.resume({ id: req.id });
    await final(req.id);
    expect((await t.api.requests.get({ id: req.id })).state).toBe("COMPLETE");
    const tries = (await t.api.requests.log({ requestId: req.id, jobId: (await t.api.requests.jobChain({ id: req.id })).jobs.find((j) => j.name === "wait")!.id }));
    expect(tries.map((l) => l.state)).toEqual(["STOPPED", "COMPLETE"]);
  });

  it("a request resumed after one of its jobs failed for good fails instead of running more", async () => {
    const req = await t.api.requests.create({ type: "boom-and-wait", args: {}, start: true });
    const job = async (name: string) => (await t.api.requests.jobChain({ id: req.id })).jobs.find((j) => j.name === name)!;
    await until(async () => (await job("boom")).state === "FAIL" && (await job("wait")).state === "RUNNING", "boom to fail while wait runs");
    await t.api.requests.suspend({ id: req.id });
    await until(async () => (await job("wait")).state === "PENDING", "the running try to stop");
    await t.api.requests.resume({ id: req.id });
    expect((await t.api.requests.get({ id: req.id })).state).toBe("FAIL");
    expect((await t.api.requests.running({ requestId: req.id })).jobs).toEqual([]);
    expect((await t.api.requests.log({ requestId: req.id })).filter((l) => l.name === "wait").map((l) => l.state)).toEqual(["STOPPED"]);
  });

  it("find filters by type, state, args and the running window", async () => {
    const all = (await t.api.requests.find({})).requests;
    expect(all.length).toBeGreaterThanOrEqual(6);
    expect((await t.api.requests.find({ type: "flaky" })).requests).toHaveLength(2);
    expect((await t.api.requests.find({ type: "flaky", states: ["FAIL"] })).requests).toHaveLength(1);
    expect((await t.api.requests.find({ args: { key: "seq" } })).requests.map((r) => r.type)).toEqual(["seq-retry"]);
    expect((await t.api.requests.find({ until: 1000 })).requests).toHaveLength(0);
    const page = await t.api.requests.find({ limit: 2, offset: 1 });
    expect(page).toMatchObject({ more: true });
    expect(page.requests.map((r) => r.id)).toEqual(all.slice(1, 3).map((r) => r.id));
  });
});

describe("scheduler jobs of task kind request", () => {
  const trigger = async (job: string, id: string) => {
    await t.api.scheduler.emitTriggers({ batches: [{ trigger: { id }, jobs: [`chains/${job}`] }] });
    let invocationId = "";
    await until(async () => {
      invocationId = (await t.api.scheduler.getInvocations({ job: `chains/${job}` })).invocations[0]?.id ?? "";
      return invocationId !== "";
    }, `an invocation of ${job}`);
    const invocation = () => t.api.scheduler.getInvocation({ job: `chains/${job}`, invocationId });
    return { invocation, ended: () => until(async () => ["SUCCEEDED", "FAILED", "ABORTED"].includes((await invocation()).state), `${job}'s invocation to end`, 30_000) };
  };

  it("an invocation runs its request and ends with its outcome, linked both ways", async () => {
    const { invocation, ended } = await trigger("run-chain", "go-1");
    await ended();
    const inv = await invocation();
    expect(inv).toMatchObject({ state: "SUCCEEDED", request: { state: "COMPLETE" } });
    expect(inv.viewUrl).toBe(`/requests/${inv.request!.id}`);
    expect(inv.debugLog).toMatch(/created request \w+ \(pass-data, 4 jobs\)/);
    expect(inv.debugLog).toMatch(/request \w+ ended COMPLETE/);
    const request = await t.api.requests.get({ id: inv.request!.id });
    expect(request).toMatchObject({ user: "scheduler:chains/run-chain", invocation: { id: inv.id, jobKey: "chains/run-chain" } });
  });

  it("a failing request fails its invocation", async () => {
    const { invocation, ended } = await trigger("run-failing", "go-2");
    await ended();
    expect(await invocation()).toMatchObject({ state: "FAILED", request: { state: "FAIL" } });
  });

  it("an unknown request type fails the invocation with the reason", async () => {
    const { invocation, ended } = await trigger("run-unknown", "go-3");
    await ended();
    const inv = await invocation();
    expect(inv).toMatchObject({ state: "FAILED", request: null });
    expect(inv.debugLog).toMatch(/could not run request no-such-request: .*no-such-request/);
  });

  it("aborting the invocation stops its request; stopping the request aborts its invocation", async () => {
    const first = await trigger("run-slow", "slow-1");
    await until(async () => (await first.invocation()).request?.state === "RUNNING", "the request to run");
    await t.api.scheduler.abortInvocation({ job: "chains/run-slow", invocationId: (await first.invocation()).id });
    await until(async () => (await first.invocation()).request?.state === "STOPPED", "the request to stop");

    await t.api.scheduler.emitTriggers({ batches: [{ trigger: { id: "slow-2" }, jobs: ["chains/run-slow"] }] });
    let second = "";
    await until(async () => {
      const inv = (await t.api.scheduler.getInvocations({ job: "chains/run-slow" })).invocations.find((i) => i.id !== (second || "x") && i.state === "RUNNING");
      second = inv?.id ?? "";
      return second !== "" && (await t.api.scheduler.getInvocation({ job: "chains/run-slow", invocationId: second })).request?.state === "RUNNING";
    }, "a second running request");
    const inv = await t.api.scheduler.getInvocation({ job: "chains/run-slow", invocationId: second });
    await t.api.requests.stop({ id: inv.request!.id });
    expect(await t.api.scheduler.getInvocation({ job: "chains/run-slow", invocationId: second })).toMatchObject({ state: "ABORTED", abortedBy: "test" });
  });
});
