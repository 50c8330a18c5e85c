import { makeWorkerUtils, run, runMigrations, type Runner, type WorkerUtils } from "graphile-worker";
import type { Peer } from "./peer.ts";

/** graphile-worker 0.18 at the settings of its performance docs (see shared/PEERS.md). */
export function graphileWorker(): Peer {
  let url = "";
  let utils: WorkerUtils;
  let runner: Runner | null = null;
  const logFactory = () => () => {};
  return {
    name: "graphile-worker",
    // graphile-worker deletes a job when it completes
    finishedSql: `SELECT ($1::int - count(*))::int AS n FROM graphile_worker._private_jobs`,
    async setup(u) {
      url = u;
      await runMigrations({ connectionString: url, logger: new (await import("graphile-worker")).Logger(logFactory) });
      utils = await makeWorkerUtils({ connectionString: url, logger: new (await import("graphile-worker")).Logger(logFactory) });
    },
    async enqueue(ids) {
      await utils.addJobs(ids.map((id) => ({ identifier: "bench", payload: { id } })));
    },
    async startWorker(onJob) {
      runner = await run({
        connectionString: url,
        concurrency: 24,
        pollInterval: 2000,
        noHandleSignals: true,
        logger: new (await import("graphile-worker")).Logger(logFactory),
        taskList: { bench: async (payload) => void onJob((payload as { id: number }).id) },
        preset: { worker: { localQueue: { size: 500 }, completeJobBatchDelay: 0, failJobBatchDelay: 0, maxPoolSize: 26 } },
      });
    },
    async stopWorker() {
      await runner?.stop();
      runner = null;
    },
    async teardown() {
      await utils.release();
    },
  };
}
