// Job chains across real worker processes on one PostgreSQL database: a
// worker killed (-9) mid-chain loses nothing and another finishes the chain;
// a worker that shuts down suspends the chain and another resumes it.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeCarrier } from "../src/queue/carriers.ts";
import { createTestEngine, type TestEngine } from "../src/testing.ts";
import { until, WorkerProcess } from "./helpers.ts";

const specs = mkdtempSync(join(tmpdir(), "hourglass-chain-proc-specs-"));
const scratch = mkdtempSync(join(tmpdir(), "hourglass-chain-proc-scratch-"));
let t: TestEngine;
const workers: WorkerProcess[] = [];

// `hang` hangs on its first try (the worker running it is then killed or stopped) and succeeds after.
const SPECS = `sequences:
  hang-once:
    request: true
    args:
      required: [{ name: key }]
      static: [{ name: cmd, default: 'f="${scratch}/$ARG_KEY"; if [ ! -e "$f" ]; then touch "$f"; echo "first try hangs"; sleep 60; fi; echo "done on a later try"' }]
    nodes:
      prepare:
        category: job
        type: noop
      hang:
        category: job
        type: shell
        args: [{ expected: command, given: cmd }, { expected: key }]
        deps: [prepare]
      after:
        category: job
        type: noop
        deps: [hang]
`;

beforeAll(async () => {
  t = await createTestEngine();
  writeFileSync(join(specs, "procs.yaml"), SPECS);
  const env = { HOURGLASS_SPECS_DIR: specs, HOURGLASS_WORKER_CONCURRENCY: "4", HOURGLASS_SHUTDOWN_GRACE_MS: "200" };
  for (const id of ["c1", "c2", "c3"]) workers.push(new WorkerProcess(id, t.db.url, env));
  await Promise.all(workers.map((w) => w.ready()));
  // a killed worker's lease lapses in 1.5 s instead of the default 15 s
  await t.engine.internal.queues.updateQueue({ id: "test" }, "hourglass_chains", { claimTimeoutMillis: 1500 });
  await until(async () => (await t.api.requests.specs()).requests.length === 1, "the workers to load the specs");
}, 60_000);

afterAll(async () => {
  for (const w of workers) w.kill("SIGKILL");
  await Promise.all(workers.map((w) => w.exited));
  await t?.close();
  rmSync(specs, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

const tries = async (id: string) => (await t.api.requests.log({ requestId: id })).filter((l) => l.name === "hang");

/** Starts a hang-once request and returns it with the worker running its hanging try. */
async function startHanging(key: string) {
  const req = await t.api.requests.create({ type: "hang-once", args: { key }, start: true });
  const hang = (await t.api.requests.jobChain({ id: req.id })).jobs.find((j) => j.name === "hang")!;
  let holder: WorkerProcess | undefined;
  await until(async () => {
    // the queue job carrying the hanging try, claimed by the worker running it
    const body = encodeCarrier("chain_job", { requestId: req.id, jobId: hang.id });
    const claim = (await t.engine.ctx.db.sql.query<{ claim_descriptor: string }>(
      `SELECT claim_descriptor FROM queue_job WHERE queue_name = 'hourglass_chains' AND state = 'IN_PROGRESS' AND body = $1`,
      [body])).rows[0];
    // the shell has really started (its marker file exists), not just the try's log row
    const running = existsSync(join(scratch, key)) && (await tries(req.id)).some((l) => l.state === "RUNNING");
    holder = claim && running ? workers.find((w) => claim.claim_descriptor.endsWith(`@${w.id}`)) : undefined;
    return holder !== undefined;
  }, "the hanging try to run");
  return { id: req.id, holder: holder! };
}


describe("chains across worker processes", () => {
  it("a worker killed mid-chain loses nothing: its try is logged as lost and another worker finishes the chain", async () => {
    const { id, holder } = await startHanging("killed");
    holder.kill("SIGKILL");
    await holder.exited;
    workers.splice(workers.indexOf(holder), 1);
    await until(async () => (await t.api.requests.get({ id })).state === "COMPLETE", "another worker to finish the chain", 20_000);
    expect((await tries(id)).map((l) => [l.try, l.state, l.error])).toEqual([
      [1, "FAIL", "try lost: its worker stopped without finishing it"],
      [2, "COMPLETE", null],
    ]);
    const hang = (await t.api.requests.jobChain({ id })).jobs.find((j) => j.name === "hang")!;
    const began = (await t.api.requests.jobHistory({ id, jobId: hang.id })).events.filter((e) => e.action === "began");
    expect(began.map((e) => [e.from, e.reason, e.payload])).toEqual([
      ["PENDING", "", { try: 1 }],
      ["RUNNING", "try 1 was lost with its worker", { try: 2 }],
    ]);
    expect((await tries(id))[1]!.stdout).toBe("done on a later try\n");
    expect(await t.api.requests.get({ id })).toMatchObject({ finishedJobs: 5, totalJobs: 5 });
  });

  it("a worker that shuts down suspends the chain with its try recorded, and another worker resumes it", async () => {
    const { id, holder } = await startHanging("stopped");
    holder.kill("SIGTERM");
    expect(await holder.exited).toBe(0);
    workers.splice(workers.indexOf(holder), 1);
    await until(async () => (await t.api.requests.get({ id })).state === "COMPLETE", "another worker to resume and finish the chain", 30_000);
    const log = await tries(id);
    expect(log.map((l) => [l.try, l.state])).toEqual([[1, "STOPPED"], [2, "COMPLETE"]]);
    expect(log[0]!.error).toMatch(/worker shutting down; the request is suspended and another worker resumes it/);
    expect(log[0]!.stdout).toBe("first try hangs\n");
    // the history says who: the stopping worker suspended it, another resumed it
    const events = (await t.api.requests.history({ id })).events.map((e) => [e.action, e.actor, e.payload]);
    expect(events).toContainEqual(["suspended", `worker:${holder.id}`, { suspendReason: "worker-shutdown" }]);
    const resumed = events.find((e) => e[0] === "resumed")!;
    expect(resumed[1]).toMatch(/^worker:c[123]$/);
    expect(resumed[1]).not.toBe(`worker:${holder.id}`);
  });
});
