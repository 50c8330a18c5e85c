import { createDatabase, migrate, type Database } from "@hourglass/db";
import { createEngine, silentLogger, type Engine } from "@hourglass/engine";
import { createWorker, type HourglassWorker } from "@hourglass/engine/worker";
import type { Peer } from "./peer.ts";

/** Hourglass at the settings its README recommends for throughput (the same shape as graphile-worker's). */
export function hourglass(): Peer {
  let db: Database;
  let engine: Engine;
  let worker: HourglassWorker | null = null;
  const caller = { id: "bench" };
  return {
    name: "hourglass",
    eventsSql: `SELECT count(*)::int AS n FROM event_log`,
    finishedSql: `SELECT count(*)::int AS n FROM queue_job WHERE queue_name = 'bench' AND state = 'SUCCEEDED' AND $1::int > 0`,
    async setup(url) {
      await migrate(url);
      db = createDatabase(url, { poolMax: 10 });
      engine = createEngine({ db, logger: silentLogger });
      await engine.queues.createQueue(caller, { name: "bench", executor: { kind: "handler", name: "bench", retryDelayMillis: 0 } });
    },
    async enqueue(ids) {
      await engine.jobs.enqueueJobs(caller, {
        queueName: "bench",
        jobs: ids.map((id) => ({ body: String(id), priority: 1, numAttemptsAllowed: 2, customStatus: "" })),
      });
    },
    async startWorker(onJob) {
      worker = createWorker(engine, {
        workerId: "bench-worker",
        concurrency: 24,
        prefetch: 500,
        pollIntervalMs: 2000,
        wakeups: "listen",
        handlers: { bench: async (job) => void onJob(Number(job.body)) },
      });
      await worker.start();
    },
    async stopWorker() {
      await worker?.stop();
      worker = null;
    },
    async teardown() {
      await db.close();
    },
  };
}
