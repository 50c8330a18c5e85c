// External worker processes (real child processes running the SDK, as a
// program would): SIGTERM stops one gracefully, and kill -9 loses nothing —
// its leases lapse and another worker runs every job.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createWorker, type Worker } from "../src/index.ts";
import { createTestEngine, startApiServer, until, WorkerProcess, type TestEngine } from "./helpers.ts";

let t: TestEngine;
const children: ChildProcess[] = [];
const workers: Worker[] = [];

beforeAll(async () => {
  t = await createTestEngine();
});

afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  for (const w of workers) await w.stop();
  await t?.close();
});

function startProcess(workerId: string, queue: string, env: Record<string, string>) {
  // node itself, not the tsx CLI (a wrapper: killing it would leave the worker running)
  const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "fixtures/worker-process.ts")], {
    env: { PATH: process.env.PATH, DATABASE_URL: t.db.url, WORKER_ID: workerId, HOURGLASS_QUEUE: queue, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (c) => (output += c));
  child.stderr!.on("data", (c) => (output += c));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return { child, exited, output: () => output, ready: () => until(() => output.includes("ready\n"), `${workerId} to start: ${output}`, 60_000) };
}

async function states(queue: string) {
  const count = async (jobState: "PENDING" | "IN_PROGRESS" | "SUCCEEDED" | "FAILED") =>
    (await t.api.queues.getJobCount({ queueName: queue, jobState })).count;
  return { pending: await count("PENDING"), inProgress: await count("IN_PROGRESS"), succeeded: await count("SUCCEEDED"), failed: await count("FAILED") };
}

it("SIGTERM: the process stops claiming, finishes what runs, hands back what it held, exits 0", { timeout: 120_000 }, async () => {
  const queue = "sigterm";
  await t.api.queues.createQueue({ name: queue, executor: { kind: "handler", name: "victim" } });
  await t.api.queues.enqueueJobs({ queueName: queue, jobs: Array.from({ length: 12 }, (_, i) => ({ body: `j${i}` })) });
  const p = startProcess("terminated", queue, { JOB_MS: "1500", CONCURRENCY: "2", PREFETCH: "4" });
  await p.ready();
  await until(() => (p.output().match(/\] started /g) ?? []).length === 2, "two jobs to start").catch((err) => {
    throw new Error(`${err.message}: ${p.output()}`);
  });
  p.child.kill("SIGTERM");
  expect(await p.exited).toBe(0);
  const after = await states(queue);
  // the two running finished; the four held ready were handed back unstarted, attempts intact
  expect(after).toEqual({ pending: 10, inProgress: 0, succeeded: 2, failed: 0 });
  const { scannedJobs } = await t.api.queues.scanJobs({ queueName: queue, jobState: "PENDING", limit: 100 });
  expect(scannedJobs.every((j: { attemptsRemaining: number }) => j.attemptsRemaining === 2)).toBe(true);
  expect(p.output()).toMatch(/stopped \{"claimed":6,"succeeded":2,"failed":0,"released":4/);
});

it.each(["database", "api"])("kill -9 (over the %s): leases lapse, jobs come back, another worker runs every one; nothing is lost", { timeout: 120_000 }, async (mode) => {
  const queue = `killed_${mode}`;
  await t.api.queues.createQueue({ name: queue, claimTimeoutMillis: 1000, executor: { kind: "handler", name: "victim" } });
  const bodies = Array.from({ length: 20 }, (_, i) => `k${i}`);
  await t.api.queues.enqueueJobs({ queueName: queue, jobs: bodies.map((body) => ({ body })) });
  const api = mode === "api" ? await startApiServer(t) : null;
  const p = startProcess(`doomed-${mode}`, queue, {
    JOB_MS: "forever", CONCURRENCY: "20", ...(api ? { HOURGLASS_URL: api.url, HOURGLASS_TOKEN: t.token } : {}),
  });
  await p.ready();
  await until(async () => (await states(queue)).inProgress === 20, "the process to hold all 20");
  p.child.kill("SIGKILL");
  await p.exited;
  await api?.close();
  const ran: string[] = [];
  const rescuer = createWorker({ databaseUrl: t.db.url }, {
    workerId: `rescuer-${mode}`, queues: [queue], concurrency: 20, pollIntervalMs: 50,
    handlers: { victim: async ({ job }) => void ran.push(job.body) },
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  });
  workers.push(rescuer);
  await rescuer.start();
  await until(async () => (await states(queue)).succeeded === 20, "every job to succeed on the rescuer", 60_000);
  expect(ran.sort()).toEqual([...bodies].sort());
  expect(await states(queue)).toEqual({ pending: 0, inProgress: 0, succeeded: 20, failed: 0 });
  // each came back through lease expiry, recorded in its history
  const { scannedJobs } = await t.api.queues.scanJobs({ queueName: queue, jobState: "SUCCEEDED", limit: 100 });
  const history = await t.api.queues.jobHistory({ jobDescriptor: scannedJobs[0]!.jobDescriptor });
  expect(JSON.stringify(history)).toMatch(/expired/i);
});

it("Hourglass's own worker runs its handlers (apps/worker/src/handlers.ts) through the SDK's handler API", { timeout: 120_000 }, async () => {
  await t.api.queues.createQueue({ name: "builtin_echo", executor: { kind: "handler", name: "echo" } });
  const w = new WorkerProcess("builtin", t.db.url);
  children.push(w.child);
  await w.ready();
  const { jobDescriptors: [d] } = await t.api.queues.enqueueJobs({ queueName: "builtin_echo", jobs: [{ body: "hi" }] });
  await until(async () => (await t.api.queues.lookupJobs({ jobDescriptors: [d!] }))[d!]?.jobState === "SUCCEEDED", "echo to run");
  const details = await t.api.queues.getJobDetails({ jobDescriptor: d! });
  expect(details.attempts.map((a: { stdout: string }) => a.stdout)).toEqual([`${d} attempt 1: hi`]);
  w.kill("SIGTERM");
  expect(await w.exited).toBe(0);
});
