import { hostname } from "node:os";
import { createDatabase, type Database } from "../../db/src/index.ts";
import { createEngine } from "../../engine/src/index.ts";
import { QueueWorker, type QueueWorkerOptions } from "../../engine/src/worker/index.ts";
import { ApiQueueSource } from "./api-source.ts";
import { toJobHandlers } from "./handler.ts";
import { stderrLogger } from "./logger.ts";
import type { Connection, Worker, WorkerOptions } from "./types.ts";

/** Which option was wrong and why: thrown by createWorker before anything starts. */
export class WorkerConfigError extends Error {
  override readonly name = "WorkerConfigError";
}

function check(connection: Connection, o: WorkerOptions): void {
  const fail = (message: string) => {
    throw new WorkerConfigError(message);
  };
  const hasDb = "databaseUrl" in connection && typeof connection.databaseUrl === "string" && connection.databaseUrl !== "";
  const hasApi = "url" in connection && typeof connection.url === "string" && connection.url !== "";
  if (hasDb === hasApi) fail("connection is { databaseUrl } or { url, token }");
  if (hasApi && !(connection as { token?: unknown }).token) fail("connection.token is required with connection.url");
  if (!o.handlers || typeof o.handlers !== "object" || Object.keys(o.handlers).length === 0) fail("handlers names at least one handler");
  for (const [name, h] of Object.entries(o.handlers)) {
    if (typeof h !== "function") fail(`handlers.${name} is not a function`);
    if (!/^[A-Za-z0-9_.:-]{1,100}$/.test(name)) fail(`handlers.${name}: a handler name is 1-100 letters, digits, '_', '.', ':' or '-'`);
  }
  if (hasApi && (!o.queues || o.queues.length === 0)) fail("queues is required over the API (the queues to dequeue from)");
  const int = (key: keyof WorkerOptions, min: number) => {
    const v = o[key];
    if (v !== undefined && (!Number.isInteger(v) || (v as number) < min)) fail(`${key} must be an integer of at least ${min}`);
  };
  int("concurrency", 1);
  int("prefetch", 0);
  int("pollIntervalMs", 10);
  int("shutdownGraceMs", 0);
}

/**
 * A worker running `handlers` on Hourglass's queue runtime (the claim, lease
 * and batch-ack loop of Hourglass's own worker): over the database with
 * `{ databaseUrl }`, or over the API with `{ url, token }`.
 */
export function createWorker(connection: Connection, options: WorkerOptions): Worker {
  check(connection, options);
  const workerId = options.workerId ?? `sdk-${hostname()}-${process.pid}`;
  const logger = options.logger ?? stderrLogger("hourglass-worker");
  const runtime: Partial<QueueWorkerOptions> & Pick<QueueWorkerOptions, "workerId"> = {
    workerId,
    handlers: toJobHandlers(options.handlers, logger),
    handlersOnly: true,
    queueNames: options.queues ?? null,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.prefetch === undefined ? {} : { prefetch: options.prefetch }),
    ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
    ...(options.shutdownGraceMs === undefined ? {} : { shutdownGraceMs: options.shutdownGraceMs }),
  };
  let db: Database | null = null;
  let queue: QueueWorker;
  if ("databaseUrl" in connection) {
    db = createDatabase(connection.databaseUrl, {
      poolMax: connection.poolMax ?? 10, applicationName: workerId,
      preparedStatements: options.wakeups !== "poll",
      outageLog: (level, message, fields) => logger[level](message, fields),
    });
    const engine = createEngine({ db, logger });
    queue = new QueueWorker(engine, { ...runtime, wakeups: options.wakeups ?? "listen", runMaintenance: options.maintenance ?? true });
  } else {
    queue = new QueueWorker(new ApiQueueSource(connection, options.queues!, logger), { ...runtime, runMaintenance: false });
  }

  let started: Promise<void> | null = null;
  let stopped: Promise<void> | null = null;
  const stop = () => {
    stopped ??= (async () => {
      await started?.catch(() => {});
      await queue.stop();
      await db?.close();
    })();
    return stopped;
  };
  return {
    workerId,
    stats: queue.stats,
    start() {
      if (stopped) return Promise.reject(new WorkerConfigError("this worker was stopped; create another"));
      started ??= queue.start();
      return started;
    },
    stop,
    stopOnSignals(signals = ["SIGTERM", "SIGINT"]) {
      return new Promise<void>((resolve, reject) => {
        const onSignal = (signal: NodeJS.Signals) => {
          for (const s of signals) process.off(s, onSignal);
          logger.info("stopping: finishing running jobs", { signal, workerId });
          stop().then(resolve, reject);
        };
        for (const s of signals) process.on(s, onSignal);
      });
    },
  };
}
