// @hourglass/sdk-worker in this process, over the database and over the API
// (a real HTTP server around the API handler), on real PostgreSQL: what a
// handler is given, failure and retry, and graceful shutdown.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorker, WorkerConfigError, type Connection, type Handler, type Worker } from "../src/index.ts";
import { createTestEngine, gate, recordingLogger, startApiServer, until, type TestEngine } from "./helpers.ts";

let t: TestEngine;
let api: Awaited<ReturnType<typeof startApiServer>>;

beforeAll(async () => {
  t = await createTestEngine();
  api = await startApiServer(t);
});

afterAll(async () => {
  await api?.close();
  await t?.close();
});

const modes = ["database", "api"] as const;
const connect = (mode: (typeof modes)[number]): Connection =>
  mode === "database" ? { databaseUrl: t.db.url } : { url: api.url, token: t.token };

async function job(descriptor: string) {
  return (await t.api.queues.lookupJobs({ jobDescriptors: [descriptor], includeBody: true }))[descriptor]!;
}

async function queueWith(name: string, handler: string, claimTimeoutMillis = 60_000) {
  await t.api.queues.createQueue({ name, claimTimeoutMillis, executor: { kind: "handler", name: handler, retryDelayMillis: 0 } });
}

describe.each(modes)("over the %s", (mode) => {
  const workers: Worker[] = [];
  const start = async (handlers: Record<string, Handler>, queue: string, extra: object = {}) => {
    const logger = recordingLogger();
    const w = createWorker(connect(mode), { handlers, queues: [queue], pollIntervalMs: 50, shutdownGraceMs: 1000, logger, workerId: `w-${mode}`, ...extra });
    workers.push(w);
    await w.start();
    return { worker: w, logger };
  };
  afterAll(async () => {
    for (const w of workers) await w.stop();
  });

  it("gives the handler its job, a signal, a logger naming the job, checkpoint and setCustomStatus", async () => {
    const queue = `ctx_${mode}`;
    await queueWith(queue, `ctx-${mode}`);
    const held = gate();
    const seen: { job?: unknown; signal?: boolean; checkpointed?: boolean; status?: boolean } = {};
    const { logger } = await start({
      [`ctx-${mode}`]: async ({ job, signal, logger, checkpoint, setCustomStatus }) => {
        seen.job = job;
        seen.signal = signal instanceof AbortSignal && !signal.aborted;
        logger.info("sending", { step: 1 });
        seen.status = await setCustomStatus("sent 1 of 2");
        seen.checkpointed = await checkpoint({ body: "resume at 2" });
        await Promise.race([held.promise, new Promise((r) => signal.addEventListener("abort", r))]);
      },
    }, queue);
    const { jobDescriptors: [d] } = await t.api.queues.enqueueJobs({ queueName: queue, jobs: [{ body: "from 1" }] });
    await until(() => seen.checkpointed !== undefined, "the handler to checkpoint");
    expect(seen).toEqual({
      job: { descriptor: d, id: d!.split(":")[1], queueName: queue, body: "from 1", attempt: 1, attemptsRemaining: 1 },
      signal: true, status: true, checkpointed: true,
    });
    // written at once, while the job runs
    expect(await job(d!)).toMatchObject({ jobState: "IN_PROGRESS", customStatus: "sent 1 of 2", body: "resume at 2" });
    expect(logger.lines).toContainEqual(expect.objectContaining({
      level: "info", message: "sending", fields: expect.objectContaining({ step: 1, jobDescriptor: d, queue }),
    }));
    held.open();
    await until(async () => (await job(d!)).jobState === "SUCCEEDED", "the job to succeed");
    expect((await job(d!)).customStatus).toBe("sent 1 of 2");
  });

  it("a handler that throws fails its attempt; the retry runs with the next attempt number", async () => {
    const queue = `retry_${mode}`;
    await queueWith(queue, `flaky-${mode}`);
    const attempts: number[] = [];
    await start({
      [`flaky-${mode}`]: async ({ job }) => {
        attempts.push(job.attempt);
        if (job.attempt === 1) throw new Error("smtp timeout");
      },
    }, queue);
    const { jobDescriptors: [d] } = await t.api.queues.enqueueJobs({ queueName: queue, jobs: [{ body: "x", numAttemptsAllowed: 2 }] });
    await until(async () => (await job(d!)).jobState === "SUCCEEDED", "the retry to succeed");
    expect(attempts).toEqual([1, 2]);
    if (mode === "database") {
      const details = await t.api.queues.getJobDetails({ jobDescriptor: d! });
      expect(details.attempts.map((a: { succeeded: boolean; error: string | null }) => [a.succeeded, a.error])).toContainEqual([false, "smtp timeout"]);
    }
  });

  it("stops gracefully: claims nothing more, lets running jobs finish, hands back what outlives the grace period", async () => {
    const queue = `stop_${mode}`;
    await queueWith(queue, `stop-${mode}`);
    const quick = gate();
    const started = new Set<string>();
    const aborted = new Set<string>();
    const { worker } = await start({
      [`stop-${mode}`]: async ({ job, signal }) => {
        started.add(job.body);
        if (job.body === "quick") return Promise.race([quick.promise, new Promise<void>((r) => signal.addEventListener("abort", () => r()))]);
        // "stubborn" runs until its signal says stop
        await new Promise<void>((r) => signal.addEventListener("abort", () => r()));
        aborted.add(job.body);
        throw new Error("interrupted");
      },
    }, queue, { concurrency: 2, shutdownGraceMs: 500 });
    const { jobDescriptors: [q, s] } = await t.api.queues.enqueueJobs({ queueName: queue, jobs: [{ body: "quick" }, { body: "stubborn" }] });
    await until(() => started.size === 2, "both jobs to start");
    const stopped = worker.stop();
    quick.open();
    await stopped;
    expect(await job(q!)).toMatchObject({ jobState: "SUCCEEDED" });
    expect(aborted).toEqual(new Set(["stubborn"]));
    // handed back, not failed: it waits for another worker. Over the database the attempt is not counted (a
    // release); the API's hand-back (checkpoint to pending) counts it, as a lapsed lease does.
    expect(await job(s!)).toMatchObject({ jobState: "PENDING", attemptsRemaining: mode === "database" ? 2 : 1 });
    const { jobDescriptors: [later] } = await t.api.queues.enqueueJobs({ queueName: queue, jobs: [{ body: "after stop" }] });
    const before = worker.stats.claimed;
    await new Promise((r) => setTimeout(r, 300)); // several poll intervals: a stopped worker must not claim
    expect(worker.stats.claimed).toBe(before);
    expect(await job(later!)).toMatchObject({ jobState: "PENDING" });
  });
});

describe("createWorker's options", () => {
  it("refuses what cannot work, naming the option", () => {
    const h = { h: async () => {} };
    expect(() => createWorker({ url: "http://x" } as never, { handlers: h, queues: ["q"] })).toThrow("connection.token is required");
    expect(() => createWorker({ url: "http://x", token: "t" }, { handlers: h })).toThrow("queues is required over the API");
    expect(() => createWorker({ databaseUrl: "postgresql://x" }, { handlers: {} })).toThrow(WorkerConfigError);
    expect(() => createWorker({ databaseUrl: "postgresql://x" }, { handlers: h, concurrency: 0 })).toThrow("concurrency must be");
    expect(() => createWorker({ databaseUrl: "postgresql://x" }, { handlers: { "bad name": h.h } })).toThrow("handlers.bad name");
  });
});
