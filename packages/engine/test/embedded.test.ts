// The core queue behaviour on the embedded database (PGlite over the wire
// protocol): migrations, enqueue / dequeue / ack, and the worker in poll mode.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDatabase, migrate, type Database } from "@hourglass/db";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "@hourglass/db/embedded";
import { testCaller } from "../src/testing.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../src/api/root.ts";
import { createEngine } from "../src/engine.ts";
import { silentLogger } from "../src/logger.ts";
import { createWorker } from "../src/worker/index.ts";
import { until } from "./helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "hourglass-embedded-"));
const port = 20_000 + Math.floor(Math.random() * 20_000);
let server: EmbeddedDatabase;
let db: Database;

beforeAll(async () => {
  server = await startEmbeddedDatabase({ dataDir: join(dir, "data"), port });
  await migrate(server.url);
  db = createDatabase(server.url, { poolMax: 4, preparedStatements: false });
}, 60_000);

afterAll(async () => {
  await db?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("embedded database", () => {
  it("refuses a second server on the same data directory", async () => {
    await expect(startEmbeddedDatabase({ dataDir: join(dir, "data"), port: port + 1 })).rejects.toThrow(/already served by process/);
  });

  it("keeps each connection's parameterised queries whole while connections interleave", async () => {
    // unnamed statements of different shapes on several connections at once: the server must not
    // run one connection's Bind against another's Parse
    const many = createDatabase(server.url, { poolMax: 12, preparedStatements: false });
    const pad = "x".repeat(200_000); // large messages arrive in several chunks
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2
      ? many.sql.query<{ n: number }>("SELECT $1::int + $2::int + $3::int + length($4::text) - 200000 AS n", [i, 1, 2, pad]).then((r) => r.rows[0]!.n - 3)
      : many.sql.query<{ n: number }>("SELECT $1::int AS n", [i]).then((r) => r.rows[0]!.n)))).finally(() => many.close());
    expect(results).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it("runs the PinLater cycle", async () => {
    const api = createCaller({ engine: createEngine({ db, logger: silentLogger }), caller: testCaller("emb") });
    await api.queues.createQueue({ name: "emb" });
    const { jobDescriptors } = await api.queues.enqueueJobs({ queueName: "emb", jobs: [{ body: "a", priority: 2 }, { body: "b" }] });
    const got = await api.queues.dequeueJobs({ queueName: "emb", limit: 5 });
    expect(Object.values(got.jobs)).toEqual(["b", "a"]);
    await api.queues.ackDequeuedJobs({ queueName: "emb", jobsSucceeded: jobDescriptors.map((jobDescriptor) => ({ jobDescriptor })) });
    expect((await api.queues.getJobCount({ queueName: "emb", jobState: "SUCCEEDED" })).count).toBe(2);
    const scan = await api.queues.scanJobs({ queueName: "emb", jobState: "SUCCEEDED" });
    expect(scan.scannedJobs).toHaveLength(2);
  });

  it("drains an executor queue with the worker polling", async () => {
    const engine = createEngine({ db, logger: silentLogger });
    const api = createCaller({ engine, caller: testCaller("emb") });
    await api.queues.createQueue({ name: "emb_noop", executor: { kind: "noop" } });
    const worker = createWorker(engine, { workerId: "emb-worker", wakeups: "poll", pollIntervalMs: 20, concurrency: 8 });
    await worker.start();
    try {
      await api.queues.enqueueJobs({ queueName: "emb_noop", jobs: Array.from({ length: 200 }, (_, i) => ({ body: `${i}` })) });
      await until(async () => (await api.queues.getJobCount({ queueName: "emb_noop", jobState: "SUCCEEDED" })).count === 200, "200 jobs to succeed");
    } finally {
      await worker.stop();
    }
    expect(worker.queue.stats.succeeded).toBe(200);
  });
});
