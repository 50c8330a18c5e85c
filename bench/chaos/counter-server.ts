// The counter server's process (started by counter.ts): the http executor's
// endpoint for the chaos drains. It runs apart from the benchmark because
// PostgresServer.restart blocks the benchmark's event loop while pg_ctl runs;
// in the same process every call the workers made during a restart would wait
// for it and be stamped afterwards, hiding how the drain really behaved.
//
// Each request is one execution, named by its x-hourglass-job header; it is
// answered 200 after --delay ms and reported to the parent (IPC, in batches)
// once its connection closes, with its start and end times and whether the
// caller went away before the answer (a worker killed in flight).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { CounterMessage, Execution } from "./counter.ts";

const delayMs = Number(process.argv[2] ?? "10");
const send = (m: CounterMessage) => process.send!(m);

const inFlight = new Map<string, number>();
let batch: Execution[] = [];

const server = createServer((req, res) => {
  const start = Date.now();
  const job = String(req.headers["x-hourglass-job"]);
  const attempt = Number(req.headers["x-hourglass-attempt"]);
  const running = (inFlight.get(job) ?? 0) + 1;
  inFlight.set(job, running);
  // a job running twice at once: reported at once, it is the one thing the drain must never do
  if (running > 1) send({ type: "overlap", job, at: start });
  res.on("close", () => {
    const left = inFlight.get(job)! - 1;
    if (left === 0) inFlight.delete(job);
    else inFlight.set(job, left);
    batch.push({ job, attempt, start, end: Date.now(), answered: res.writableFinished });
  });
  req.resume();
  req.on("end", () => setTimeout(() => res.end("ok"), delayMs));
});
server.keepAliveTimeout = 30_000;

function flush(): void {
  if (batch.length > 0) send({ type: "executions", list: batch });
  batch = [];
}
setInterval(flush, 50);

process.on("message", (m: { type: string }) => {
  if (m.type === "flush") {
    flush();
    send({ type: "flushed" });
  }
  if (m.type === "stop") {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
process.on("disconnect", () => process.exit(0));

server.listen(0, "127.0.0.1", () => {
  send({ type: "ready", url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` });
});
