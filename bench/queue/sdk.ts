import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createDatabase, migrate, type Database } from "@hourglass/db";
import { createEngine, silentLogger, type Engine } from "@hourglass/engine";
import type { Peer } from "./peer.ts";

/**
 * Hourglass's queue worked by @hourglass/sdk-worker in an external process
 * (sdk-worker-process.ts), with the built-in peer's settings: the program's own
 * worker, against the built-in worker of the "hourglass" peer.
 */
export function hourglassSdk(): Peer {
  return external("hourglass-sdk", "sdk");
}

/** The built-in worker (the engine's createWorker, as apps/worker uses it) in an external process, like for like with the SDK's. */
export function hourglassProcess(): Peer {
  return external("hourglass-process", "builtin");
}

function external(name: string, worker: "sdk" | "builtin"): Peer {
  let db: Database;
  let engine: Engine;
  let url = "";
  let child: ChildProcess | null = null;
  const caller = { id: "bench" };
  return {
    name,
    eventsSql: `SELECT count(*)::int AS n FROM event_log`,
    finishedSql: `SELECT count(*)::int AS n FROM queue_job WHERE queue_name = 'bench' AND state = 'SUCCEEDED' AND $1::int > 0`,
    async setup(u) {
      url = u;
      await migrate(url);
      db = createDatabase(url, { poolMax: 10 });
      engine = createEngine({ db, logger: silentLogger });
      await engine.queues.createQueue(caller, { name: "bench", executor: { kind: "handler", name: "bench", retryDelayMillis: 0 } });
      // node itself with tsx's loader (as the worker app runs), the SDK from its sources; loaded before any clock starts
      const c = fork(join(import.meta.dirname, "sdk-worker-process.ts"), [], {
        env: { PATH: process.env.PATH, DATABASE_URL: url, WORKER: worker }, execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
      child = c;
      await new Promise<void>((resolve, reject) => {
        c.once("message", (m) => (m === "loaded" ? resolve() : reject(new Error(`unexpected ${String(m)}`))));
        c.once("exit", (code) => reject(new Error(`sdk worker process exited with ${code}`)));
      });
    },
    async enqueue(ids) {
      await engine.jobs.enqueueJobs(caller, {
        queueName: "bench",
        jobs: ids.map((id) => ({ body: String(id), priority: 1, numAttemptsAllowed: 2, customStatus: "" })),
      });
    },
    async startWorker(onJob) {
      const c = child!;
      c.removeAllListeners("message");
      await new Promise<void>((resolve) => {
        c.on("message", (m: unknown) => {
          if (m === "ready") resolve();
          else if (typeof m === "object" && m && "started" in m) for (const id of (m as { started: number[] }).started) onJob(id);
        });
        c.send("start");
      });
    },
    async stopWorker() {
      const c = child!;
      await new Promise<void>((resolve) => {
        c.on("message", (m: unknown) => m === "stopped" && resolve());
        c.send("stop");
      });
    },
    async teardown() {
      child?.kill("SIGKILL");
      child = null;
      await db.close();
    },
  };
}
