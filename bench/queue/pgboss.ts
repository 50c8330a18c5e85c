import { PgBoss } from "pg-boss";
import type { Peer } from "./peer.ts";

/** pg-boss 12 with notifications on and batch fetching (see shared/PEERS.md). */
export function pgBoss(): Peer {
  let boss: PgBoss;
  return {
    name: "pg-boss",
    finishedSql: `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'bench' AND state = 'completed' AND $1::int > 0`,
    async setup(url) {
      boss = new PgBoss({ connectionString: url, max: 10, useListenNotify: true });
      boss.on("error", () => {});
      await boss.start();
      await boss.createQueue("bench", { notify: true });
    },
    async enqueue(ids) {
      await boss.insert("bench", ids.map((id) => ({ data: { id } })));
    },
    async startWorker(onJob) {
      await boss.work<{ id: number }>(
        "bench",
        { batchSize: 500, localConcurrency: 2, pollingIntervalSeconds: 0.5, burstWhenBatchFull: true },
        async (jobs) => {
          for (const job of jobs) onJob(job.data.id);
        },
      );
    },
    async stopWorker() {
      await boss.offWork("bench", { wait: true });
    },
    async teardown() {
      await boss.stop({ graceful: true, close: true });
    },
  };
}
