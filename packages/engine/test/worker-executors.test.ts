// The worker in-process with the shell executor: captured output per attempt,
// retries, FAILED, timeouts, and a paused queue that is not consumed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEngine, type TestEngine } from "../src/testing.ts";
import { QueueWorker } from "../src/worker/index.ts";
import { until } from "./helpers.ts";

let t: TestEngine;
let worker: QueueWorker;

beforeAll(async () => {
  t = await createTestEngine();
  worker = new QueueWorker(t.engine, {
    workerId: "inproc", concurrency: 4, pollIntervalMs: 50, childEnv: { PATH: process.env.PATH! },
    handlers: {
      shout: async (job) => ({ succeeded: true, stdout: job.body.toUpperCase() }),
      explode: async (job) => {
        throw new Error(`cannot handle ${job.body}`);
      },
    },
  });
  await worker.start();
});
afterAll(async () => {
  await worker?.stop();
  await t?.close();
});

async function finalState(d: string) {
  return until(async () => {
    const j = (await t.api.queues.lookupJobs({ jobDescriptors: [d] }))[d];
    return j && (j.jobState === "SUCCEEDED" || j.jobState === "FAILED") ? j : null;
  }, `job ${d} to finish`);
}

describe("shell executor", () => {
  it("captures stdout, stderr and the exit code; the body arrives on stdin and in the environment", async () => {
    await t.api.queues.createQueue({ name: "sh_ok", executor: { kind: "shell", command: "sh", args: ["-c", 'read line; echo "stdin=$line env=$HOURGLASS_JOB_BODY attempt=$HOURGLASS_ATTEMPT"; echo warn >&2'] } });
    const { jobDescriptors: [d] } = await t.api.queues.enqueueJobs({ queueName: "sh_ok", jobs: [{ body: "hello" }] });
    expect((await finalState(d!))!.jobState).toBe("SUCCEEDED");
    const details = await t.api.queues.getJobDetails({ jobDescriptor: d! });
    expect(details.attempts).toHaveLength(1);
    expect(details.attempts[0]).toMatchObject({ attempt: 1, succeeded: true, exitCode: 0, stdout: "stdin=hello env=hello attempt=1\n", stderr: "warn\n", error: null });
  });

  it("retries a failing command until its attempts run out, keeping each attempt's output", async () => {
    await t.api.queues.createQueue({ name: "sh_fail", executor: { kind: "shell", command: "sh", args: ["-c", 'echo "try $HOURGLASS_ATTEMPT"; exit 3'], retryDelayMillis: 0 } });
    const { jobDescriptors: [d] } = await t.api.queues.enqueueJobs({ queueName: "sh_fail", jobs: [{ body: "x", numAttemptsAllowed: 3 }] });
    expect((await finalState(d!))!.jobState).toBe("FAILED");
    const details = await t.api.queues.getJobDetails({ jobDescriptor: d! });
    expect(details.attempts.map((a) => [a.attempt, a.exitCode, a.stdout, a.error])).toEqual([
      [1, 3, "try 1\n", "exited with code 3"],
      [2, 3, "try 2\n", "exited with code 3"],
      [3, 3, "try 3\n", "exited with code 3"],
    ]);
  });

  it("kills a command that outlives its timeout, and reports a missing program", async () => {
    await t.api.queues.createQueue({ name: "sh_slow", executor: { kind: "shell", command: "sleep", args: ["30"], timeoutMillis: 200 } });
    await t.api.queues.createQueue({ name: "sh_missing", executor: { kind: "shell", command: "no-such-program-xyz" } });
    const { jobDescriptors: [slow] } = await t.api.queues.enqueueJobs({ queueName: "sh_slow", jobs: [{ body: "", numAttemptsAllowed: 1 }] });
    const { jobDescriptors: [missing] } = await t.api.queues.enqueueJobs({ queueName: "sh_missing", jobs: [{ body: "", numAttemptsAllowed: 1 }] });
    await finalState(slow!);
    await finalState(missing!);
    expect((await t.api.queues.getJobDetails({ jobDescriptor: slow! })).attempts[0]!.error).toBe("timed out after 200 ms");
    expect((await t.api.queues.getJobDetails({ jobDescriptor: missing! })).attempts[0]!.error).toMatch(/could not start no-such-program-xyz/);
  });

  it("bounds captured output", async () => {
    await t.api.queues.createQueue({ name: "sh_big", executor: { kind: "shell", command: "sh", args: ["-c", "printf 'nul:\\000:'; yes a | head -c 200000"] } });
    const { jobDescriptors: [d] } = await t.api.queues.enqueueJobs({ queueName: "sh_big", jobs: [{ body: "" }] });
    await finalState(d!);
    const out = (await t.api.queues.getJobDetails({ jobDescriptor: d! })).attempts[0]!.stdout;
    expect(out.length).toBeLessThan(70_000);
    expect(out.startsWith("nul:\uFFFD:a")).toBe(true);
    expect(out).toMatch(/\[134470 more bytes not kept\]$/);
  });

  it("does not consume a paused queue until it is resumed", async () => {
    await t.api.queues.createQueue({ name: "noop_paused", executor: { kind: "noop" } });
    await t.api.queues.pauseQueue({ name: "noop_paused" });
    const { jobDescriptors: [d] } = await t.api.queues.enqueueJobs({ queueName: "noop_paused", jobs: [{ body: "" }] });
    const rounds = worker.stats.fetchRounds;
    await until(() => worker.stats.fetchRounds >= rounds + 3, "three fetch rounds after the enqueue");
    expect((await t.api.queues.lookupJobs({ jobDescriptors: [d!] }))[d!]!.jobState).toBe("PENDING");
    await t.api.queues.resumeQueue({ name: "noop_paused" });
    expect((await finalState(d!))!.jobState).toBe("SUCCEEDED");
  });
});

describe("TypeScript handlers", () => {
  it("runs registered handlers; a thrown error fails the attempt with its message", async () => {
    await t.api.queues.createQueue({ name: "h_shout", executor: { kind: "handler", name: "shout" } });
    await t.api.queues.createQueue({ name: "h_explode", executor: { kind: "handler", name: "explode", retryDelayMillis: 0 } });
    const { jobDescriptors: [ok] } = await t.api.queues.enqueueJobs({ queueName: "h_shout", jobs: [{ body: "quiet" }] });
    const { jobDescriptors: [bad] } = await t.api.queues.enqueueJobs({ queueName: "h_explode", jobs: [{ body: "this", numAttemptsAllowed: 1 }] });
    expect((await finalState(ok!))!.jobState).toBe("SUCCEEDED");
    expect((await finalState(bad!))!.jobState).toBe("FAILED");
    expect((await t.api.queues.getJobDetails({ jobDescriptor: ok! })).attempts[0]!.stdout).toBe("QUIET");
    expect((await t.api.queues.getJobDetails({ jobDescriptor: bad! })).attempts[0]!.error).toBe("cannot handle this");
  });

  it("leaves queues alone whose handler this worker does not have", async () => {
    await t.api.queues.createQueue({ name: "h_elsewhere", executor: { kind: "handler", name: "registered_elsewhere" } });
    const { jobDescriptors: [d] } = await t.api.queues.enqueueJobs({ queueName: "h_elsewhere", jobs: [{ body: "" }] });
    const rounds = worker.stats.fetchRounds;
    await until(() => worker.stats.fetchRounds >= rounds + 3, "three fetch rounds after the enqueue");
    expect((await t.api.queues.lookupJobs({ jobDescriptors: [d!] }))[d!]!.jobState).toBe("PENDING");
  });
});

describe("wake-ups", () => {
  it("a job enqueued for later starts when it falls due, not at the worker's next poll", async () => {
    const started: number[] = [];
    const sleepy = new QueueWorker(t.engine, {
      workerId: "sleepy", concurrency: 1, pollIntervalMs: 600_000, // a poll would come far too late
      handlers: { note: async () => (started.push(Date.now()), { succeeded: true }) },
    });
    await t.api.queues.createQueue({ name: "h_later", executor: { kind: "handler", name: "note" } });
    await sleepy.start();
    try {
      const due = Date.now() + 300;
      await t.api.queues.enqueueJobs({ queueName: "h_later", jobs: [{ body: "x", runAfterTimestampMillis: due }] });
      await until(async () => started.length > 0, "the job to start");
      expect(started[0]!).toBeGreaterThanOrEqual(due);
      expect(started[0]! - due).toBeLessThan(10_000); // woken by the announced due time
    } finally {
      await sleepy.stop();
    }
  });
});
