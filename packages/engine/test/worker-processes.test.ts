// Several real worker processes against one PostgreSQL database: work is
// shared with no job run twice concurrently and none lost; kill -9 mid-job
// loses nothing; SIGTERM finishes the running job before exiting.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEngine, type TestEngine } from "../src/testing.ts";
import { RecordingServer, until, WorkerProcess } from "./helpers.ts";

let t: TestEngine;
const server = new RecordingServer();
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  t = await createTestEngine();
  await server.start();
  await t.api.queues.createQueue({ name: "q_http", claimTimeoutMillis: 1500, executor: { kind: "http", method: "POST", url: server.url, retryDelayMillis: 0 } });
  for (const id of ["w1", "w2", "w3"]) workers.push(new WorkerProcess(id, t.db.url, { HOURGLASS_WORKER_CONCURRENCY: "4" }));
  await Promise.all(workers.map((w) => w.ready()));
}, 60_000);

afterAll(async () => {
  for (const w of workers) w.kill("SIGKILL");
  await Promise.all(workers.map((w) => w.exited));
  await server.stop();
  await t?.close();
});

const count = async (state: "SUCCEEDED" | "PENDING" | "IN_PROGRESS" | "FAILED") =>
  (await t.api.queues.getJobCount({ queueName: "q_http", jobState: state })).count;

describe("several worker processes", () => {
  it("share 300 jobs with each run exactly once and none lost", async () => {
    const jobs = Array.from({ length: 300 }, (_, i) => ({ body: `job-${i}` }));
    const { jobDescriptors } = await t.api.queues.enqueueJobs({ queueName: "q_http", jobs });
    await until(async () => (await count("SUCCEEDED")) === 300, "all 300 jobs to succeed");
    expect(server.calls).toHaveLength(300);
    expect(new Set(server.calls.map((c) => c.job))).toEqual(new Set(jobDescriptors));
    expect(server.overlaps).toBe(0);
    // the work was really shared
    const details = await t.api.queues.lookupJobs({ jobDescriptors });
    const byWorker = new Set(Object.values(details).map((j) => j.claimDescriptor!.split("@")[1]));
    expect(byWorker.size).toBeGreaterThan(1);
  });

  it("loses nothing when a worker is killed with -9 mid-job", async () => {
    server.respond = (job, res) => {
      if (server.callsOf(job).length === 1) return; // hang the first attempt: its worker dies holding it
      res.end("second time lucky");
    };
    const { jobDescriptors: [d] } = await t.api.queues.enqueueJobs({ queueName: "q_http", jobs: [{ body: "victim" }] });
    await until(() => server.callsOf(d!).length === 1, "the first attempt to start");
    const claim = (await t.api.queues.lookupJobs({ jobDescriptors: [d!] }))[d!]!.claimDescriptor!;
    const victim = workers.find((w) => claim.endsWith(`@${w.id}`))!;
    victim.kill("SIGKILL");
    await victim.exited;

    await until(async () => (await t.api.queues.lookupJobs({ jobDescriptors: [d!] }))[d!]?.jobState === "SUCCEEDED", "another worker to finish the job");
    const calls = server.callsOf(d!);
    expect(calls.map((c) => c.attempt)).toEqual([1, 2]);
    const info = (await t.api.queues.getJobDetails({ jobDescriptor: d! }));
    expect(info.history.some((h) => h.by === "system:resurrector")).toBe(true);
    expect(info.claimDescriptor).not.toContain(victim.id);
    expect(info.attempts.at(-1)).toMatchObject({ succeeded: true, httpStatus: 200, stdout: "second time lucky" });
  });

  it("finishes the running job on SIGTERM, then exits cleanly", async () => {
    const live = workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    server.respond = (_job, res) => void held.then(() => res.end("finished after SIGTERM"));
    const { jobDescriptors: [d] } = await t.api.queues.enqueueJobs({ queueName: "q_http", jobs: [{ body: "graceful" }] });
    await until(() => server.callsOf(d!).length === 1, "the job to start");
    const claim = (await t.api.queues.lookupJobs({ jobDescriptors: [d!] }))[d!]!.claimDescriptor!;
    const runner = live.find((w) => claim.endsWith(`@${w.id}`))!;
    runner.kill("SIGTERM");
    await until(() => runner.output.includes("finishing running jobs"), "the worker to acknowledge SIGTERM");
    release();
    expect(await runner.exited).toBe(0);
    expect((await t.api.queues.lookupJobs({ jobDescriptors: [d!] }))[d!]!.jobState).toBe("SUCCEEDED");
    expect(server.callsOf(d!)).toHaveLength(1);
  });
});
