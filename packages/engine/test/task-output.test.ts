// A scheduler task's output reaches its invocation's debug log while it runs
// (not only when it ends), and an aborted or failed task keeps what it
// printed; each run is recorded on the invocation (outcome, exit code, output).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEBUG_LOG_LIMIT } from "../src/scheduler/host/debug-log.ts";
import { runTriageOnce } from "../src/scheduler/host/triage.ts";
import { createTestEngine, type TestEngine } from "../src/testing.ts";
import { QueueWorker, SchedulerLoops } from "../src/worker/index.ts";
import { until } from "./helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "hourglass-output-"));
const go = join(dir, "go");
let t: TestEngine;
let worker: QueueWorker;
let startWorker: () => Promise<QueueWorker>;

// `talk` prints, then waits for the test to say go (a file), then prints again
const PROJECT = `jobs:
  - id: talk
    task: { kind: shell, command: sh, args: ["-c", "echo first; echo warming >&2; while [ ! -e '${go}' ]; do sleep 0.02; done; echo second"] }
  - id: hang
    task: { kind: shell, command: sh, args: ["-c", "echo before the abort; echo a warning >&2; sleep 30"] }
  - id: fail
    task: { kind: shell, command: sh, args: ["-c", "echo partial work; exit 4"] }
  - id: flood
    task: { kind: shell, command: sh, args: ["-c", "yes a | head -c 200000"] }
`;

beforeAll(async () => {
  t = await createTestEngine();
  writeFileSync(join(dir, "ops.yaml"), PROJECT);
  const loops = new SchedulerLoops(t.engine, { projectsDir: dir, intervalMs: 1_000_000, catalogIntervalMs: 1_000_000 });
  await loops.start();
  loops.stop();
  startWorker = async () => {
    const w = new QueueWorker(t.engine, {
      workerId: "output-worker", pollIntervalMs: 20, shutdownGraceMs: 0, childEnv: { PATH: process.env.PATH! },
      handlers: loops.handlers({ baseEnv: { PATH: process.env.PATH! } }), claimAheadMs: loops.claimAheadMs,
    });
    await w.start();
    return w;
  };
  worker = await startWorker();
});
afterAll(async () => {
  await worker?.stop();
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Triggers `job` and returns its new invocation's id once triage started it. */
async function trigger(job: string): Promise<string> {
  await t.api.scheduler.emitTriggers({ batches: [{ trigger: { id: `${job}-${Date.now()}` }, jobs: [`ops/${job}`] }] });
  while ((await runTriageOnce(t.engine.ctx)) > 0);
  return (await t.api.scheduler.getInvocations({ job: `ops/${job}`, pageSize: 1 })).invocations[0]!.id;
}
const invocation = (job: string, id: string) => t.api.scheduler.getInvocation({ job: `ops/${job}`, invocationId: id });
type Invocation = Awaited<ReturnType<typeof invocation>>;

/** Polls the invocation until `ready` holds, and returns it. */
async function invocationWhen(job: string, id: string, what: string, ready: (inv: Invocation) => boolean): Promise<Invocation> {
  let last!: Invocation;
  await until(async () => ready((last = await invocation(job, id))), what);
  return last;
}

describe("task output", () => {
  it("streams into the debug log while the task runs", async () => {
    const id = await trigger("talk");
    const running = await invocationWhen("talk", id, "the first line in the debug log", (inv) => inv.debugLog.includes("first") && inv.debugLog.includes("warming"));
    expect(running.state).toBe("RUNNING");
    expect(running.debugLog).toMatch(/stdout:\nfirst\n/);
    expect(running.debugLog).toMatch(/stderr:\nwarming\n/);
    expect(running.debugLog).not.toContain("second");
    expect(running.taskRuns).toEqual([]);
    expect(existsSync(go)).toBe(false);

    writeFileSync(go, "");
    const done = await invocationWhen("talk", id, "the task to end", (inv) => inv.state === "SUCCEEDED");
    expect(done.debugLog).toMatch(/stdout:\nfirst\n[^]*stdout:\nsecond\n[^]*ran shell task\n.*exit code 0\n.*task succeeded\n.*invocation SUCCEEDED/);
    expect(done.debugLog.match(/first/g)).toHaveLength(1); // streamed once, not repeated at the end
    expect(done.taskRuns).toEqual([expect.objectContaining({
      outcome: "SUCCEEDED", exitCode: 0, error: null, stdout: "first\nsecond\n", stderr: "warming\n",
    })]);
  });

  it("keeps what an aborted task printed, and records the run as aborted", async () => {
    const id = await trigger("hang");
    await until(async () => (await invocation("hang", id)).debugLog.includes("before the abort"), "the task's output");
    expect(await t.api.scheduler.abortInvocation({ job: "ops/hang", invocationId: id })).toEqual({ aborted: true });
    const aborted = await invocationWhen("hang", id, "the killed task's run to be recorded", (inv) => inv.taskRuns.length > 0);
    expect(aborted.state).toBe("ABORTED");
    expect(aborted.debugLog).toMatch(/stdout:\nbefore the abort\n/);
    expect(aborted.debugLog).toMatch(/stderr:\na warning\n/);
    expect(aborted.debugLog).toMatch(/invocation ABORTED by test\n[^]*ran shell task\n.*task killed: the invocation was aborted\n$/);
    expect(aborted.taskRuns).toEqual([expect.objectContaining({ outcome: "ABORTED", stdout: "before the abort\n", stderr: "a warning\n" })]);
  });

  it("keeps a failed task's output and exit code", async () => {
    const id = await trigger("fail");
    const failed = await invocationWhen("fail", id, "the task to fail", (inv) => inv.state === "FAILED");
    expect(failed.debugLog).toMatch(/stdout:\npartial work\n[^]*exit code 4\n.*error: exited with code 4\n.*task failed/);
    expect(failed.taskRuns).toEqual([expect.objectContaining({ outcome: "FAILED", exitCode: 4, error: "exited with code 4", stdout: "partial work\n" })]);
  });

  it("keeps what a task printed when its worker shuts down, and the next launch runs it again", async () => {
    const id = await trigger("hang");
    await until(async () => (await invocation("hang", id)).debugLog.includes("before the abort"), "the task's output");
    await worker.stop(); // shutdownGraceMs 0: the running task is killed and its job handed back
    const interrupted = await invocation("hang", id);
    expect(interrupted.state).toBe("RUNNING");
    expect(interrupted.debugLog).toMatch(/stdout:\nbefore the abort\n[^]*worker shutting down; the invocation will be relaunched\n$/);
    expect(interrupted.taskRuns).toEqual([expect.objectContaining({ outcome: "INTERRUPTED", stdout: "before the abort\n" })]);
    worker = await startWorker();
    const again = await invocationWhen("hang", id, "the relaunch to print", (inv) => (inv.debugLog.match(/before the abort/g) ?? []).length === 2);
    expect(again.debugLog).toMatch(/worker shutting down; the invocation will be relaunched\n[^]*stdout:\nbefore the abort\n/);
    await t.api.scheduler.abortInvocation({ job: "ops/hang", invocationId: id });
    await invocationWhen("hang", id, "the second run to be recorded", (inv) => inv.taskRuns.length === 2);
  });

  it("bounds streamed output like the executors' captures", async () => {
    const id = await trigger("flood");
    const done = await invocationWhen("flood", id, "the flood to end", (inv) => inv.state === "SUCCEEDED");
    expect(done.debugLog.length).toBeLessThanOrEqual(DEBUG_LOG_LIMIT);
    expect(done.debugLog).toMatch(/… \[134464 more bytes not kept\]\n[^]*task succeeded/);
    expect(done.taskRuns[0]!.stdout).toMatch(/… \[134464 more bytes not kept\]$/);
  });
});
