// A program's worker, type-checked and run against the packed, installed
// @hourglass/sdk-worker: runs one job of queue "packed" and prints what it saw.
import { createWorker, WorkerConfigError, type Handler, type HandlerContext } from "@hourglass/sdk-worker";

const [databaseUrl] = process.argv.slice(2);
let done!: (seen: object) => void;
const finished = new Promise<object>((r) => (done = r));
const packed: Handler = async ({ job, signal, logger, checkpoint, setCustomStatus }: HandlerContext) => {
  logger.info("running", { body: job.body });
  const status = await setCustomStatus("half way");
  const kept = await checkpoint();
  done({ descriptor: job.descriptor, body: job.body, attempt: job.attempt, aborted: signal.aborted, status, kept });
  return { output: `done ${job.body}` };
};
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const worker = createWorker({ databaseUrl: databaseUrl! }, { handlers: { packed }, queues: ["packed"], pollIntervalMs: 50, logger: quiet });
let refused = "";
try {
  createWorker({ url: "http://127.0.0.1:1", token: "hg_x" }, { handlers: { packed } });
} catch (err) {
  if (err instanceof WorkerConfigError) refused = err.message;
}
await worker.start();
const seen = await finished;
await worker.stop();
console.log(JSON.stringify({ ...seen, refused, stats: worker.stats }));
