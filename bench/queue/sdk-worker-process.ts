// The external worker process of the hourglass-sdk and hourglass-process
// peers: @hourglass/sdk-worker over the database (WORKER=sdk), or Hourglass's
// built-in worker factory (WORKER=builtin, as apps/worker builds it, queue
// runtime only), both at the in-process peer's settings. Loaded once per peer (so
// the process's start-up is not timed); each "start" creates and starts a
// worker, each "stop" stops it gracefully. Tells its parent which jobs'
// handlers started, batched per turn of the event loop, so reporting costs
// the worker little.
import { createDatabase } from "@hourglass/db";
import { createEngine, silentLogger } from "@hourglass/engine";
import { createWorker as createBuiltIn } from "@hourglass/engine/worker";
import { createWorker } from "@hourglass/sdk-worker";

const send = (m: unknown) => process.send!(m);
let started: number[] = [];
let flushing = false;
const flush = () => {
  flushing = false;
  send({ started });
  started = [];
};
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const report = (id: number) => {
  started.push(id);
  if (!flushing) {
    flushing = true;
    setImmediate(flush);
  }
};
const sdk = () => createWorker({ databaseUrl: process.env.DATABASE_URL!, poolMax: 10 }, {
  workerId: "bench-sdk-worker",
  queues: ["bench"],
  concurrency: 24,
  prefetch: 500,
  pollIntervalMs: 2000,
  logger: silent,
  handlers: {
    bench: async ({ job }) => report(Number(job.body)),
  },
});
function builtIn(): { start(): Promise<void>; stop(): Promise<void> } {
  const db = createDatabase(process.env.DATABASE_URL!, { poolMax: 10 });
  const w = createBuiltIn(createEngine({ db, logger: silentLogger }), {
    workerId: "bench-builtin-worker", concurrency: 24, prefetch: 500, pollIntervalMs: 2000, wakeups: "listen",
    handlers: { bench: async (job) => report(Number(job.body)) },
  });
  return { start: () => w.start(), stop: async () => {
    await w.stop();
    await db.close();
  } };
}
const make = process.env.WORKER === "builtin" ? builtIn : sdk;
let worker: { start(): Promise<void>; stop(): Promise<void> } | null = null;
process.on("message", (m) => {
  if (m === "start") {
    worker = make();
    void worker.start().then(() => send("ready"));
  } else if (m === "stop") {
    void worker!.stop().then(() => send("stopped"));
  }
});
send("loaded");
