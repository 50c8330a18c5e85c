// PostgreSQL restarted under load: three real worker processes drain jobs on
// a server of the test's own, which the test restarts with `pg_ctl restart
// -m fast` and then `-m immediate` (a crash). No worker exits, no job is lost
// or completed twice, the drain resumes within seconds of each restart, and
// the API in this process answers 503 (never 500) while the database is away.
import { createDatabase, migrate, type Database } from "@hourglass/db";
import { PostgresServer } from "@hourglass/db/testing";
import { testCaller } from "../src/testing.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../src/api/root.ts";
import { handleApiRequest } from "../src/api/http.ts";
import { createEngine, type Engine } from "../src/engine.ts";
import { silentLogger } from "../src/logger.ts";
import { RecordingServer, until, WorkerProcess } from "./helpers.ts";

const JOBS = 3000;
let pgServer: PostgresServer;
let db: Database;
let engine: Engine;
let api: ReturnType<typeof createCaller>;
let token: string;
const hook = new RecordingServer();
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  pgServer = await PostgresServer.start();
  const url = await pgServer.createDatabase("hourglass");
  await migrate(url);
  db = createDatabase(url, { outageLog: () => {} });
  engine = createEngine({ db, logger: silentLogger });
  api = createCaller({ engine, caller: testCaller("test") });
  await engine.access.principals.create({ kind: "service", name: "writer", scopes: ["*"], by: "test" });
  token = (await engine.access.credentials.createToken(testCaller("test"), { principalId: "service:writer", name: "w", scopes: ["*"] })).token;
  await hook.start();
  hook.respond = (_job, res) => setTimeout(() => res.end("ok"), 10);
  // the default claim timeout (5 min): a job whose claim was lost in the outage would stall the drain past the test's limit
  await api.queues.createQueue({ name: "drain", executor: { kind: "http", method: "POST", url: hook.url, retryDelayMillis: 0 } });
  await api.queues.createQueue({ name: "writes" });
  for (const id of ["r1", "r2", "r3"]) {
    workers.push(new WorkerProcess(id, url, { HOURGLASS_WORKER_CONCURRENCY: "6", HOURGLASS_SHUTDOWN_GRACE_MS: "1000" }));
  }
  await Promise.all(workers.map((w) => w.ready()));
}, 90_000);

afterAll(async () => {
  for (const w of workers) w.kill("SIGKILL");
  await Promise.all(workers.map((w) => w.exited));
  await hook.stop();
  await db?.close();
  await pgServer?.destroy();
});

const succeeded = async () => (await api.queues.getJobCount({ queueName: "drain", jobState: "SUCCEEDED" })).count;

/** API writes from this process while the database restarts: every answer is 200 or 503, never 500. */
async function writeThrough(restart: Promise<void>): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  let done = false;
  void restart.finally(() => (done = true));
  let i = 0;
  while (!done || i < 5) {
    const req = new Request("http://127.0.0.1/api/trpc/queues.enqueueJobs", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ queueName: "writes", jobs: [{ body: `w${i++}` }] }),
    });
    const res = await handleApiRequest(req, engine);
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    if (res.status === 503) expect(res.headers.get("retry-after")).toBe("1");
    await new Promise((r) => setTimeout(r, 20));
  }
  return statuses;
}

describe("PostgreSQL restarts while three workers drain", () => {
  it("no worker exits, nothing is lost or completed twice, and the drain resumes within 5 s", async () => {
    const { jobDescriptors } = await api.queues.enqueueJobs({ queueName: "drain", jobs: Array.from({ length: JOBS }, (_, i) => ({ body: `j${i}` })) });
    const resumedAfter: number[] = [];
    for (const [mode, at] of [["fast", JOBS * 0.25], ["immediate", JOBS * 0.6]] as const) {
      await until(() => hook.calls.length >= at, `${at} executions before the ${mode} restart`, 60_000);
      const statuses = await writeThrough(pgServer.restart(mode));
      expect([...statuses.keys()].filter((s) => s !== 200 && s !== 503)).toEqual([]);
      const back = Date.now();
      const before = hook.calls.length;
      await until(() => hook.calls.length > before + 20, `the drain to resume after the ${mode} restart`, 30_000, 10);
      resumedAfter.push(Date.now() - back);
    }
    await until(async () => (await succeeded().catch(() => 0)) === JOBS, "every job to succeed", 90_000, 100);
    console.log(`drain resumed ${resumedAfter.join(" ms and ")} ms after the database was back`);
    for (const ms of resumedAfter) expect(ms).toBeLessThan(5000);

    // no worker exited, and each told of each outage once, not once per failed statement
    for (const w of workers) {
      expect(w.child.exitCode, `worker ${w.id} output:\n${w.output}`).toBeNull();
      const reports = w.output.split("\n").filter((l) => l.includes("database unavailable")).length;
      expect(reports, w.output).toBeGreaterThanOrEqual(1);
      expect(reports, w.output).toBeLessThanOrEqual(4);
    }
    // every job ran; a job ran twice only if an attempt was in flight when its connection died, and never at once
    const executed = new Set(hook.calls.map((c) => c.job));
    expect(jobDescriptors.every((d) => executed.has(d))).toBe(true);
    expect(hook.overlaps).toBe(0);
    expect(hook.calls.length - JOBS).toBeLessThanOrEqual(2 * 3 * 6);
    // completed once: an ack applies only to the claim it answers (a repeated one matches nothing), so a job is
    // SUCCEEDED by one ack; and since every job finished within the test, none waited for its 5-minute lease
    const expired = await db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM event_log WHERE entity_kind = 'queue_job' AND action = 'expired'`);
    expect(expired.rows[0]!.n).toBe(0);
  }, 240_000);
});
