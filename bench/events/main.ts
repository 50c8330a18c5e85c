// `pnpm bench:events`: fan-out latency of the public event stream. On a fresh
// database of the test server, a web process (the engine and the handler the
// web app's /api/events route delegates to: packages/engine/test/web-events-server.ts)
// serves N subscribers over real HTTP (SSE); this process commits changes
// (one job enqueued per change, paced) and times each change from its commit
// (when the writer's COMMIT returned) to its receipt by each subscriber.
// Then a burst: 5,000 events in ten statements, timed to the last receipt.
//
// Options: --subscribers N (100), --changes N (300), --interval ms (20)
import { spawn } from "node:child_process";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createTestDatabase } from "@hourglass/db/testing";
import { createEngine, silentLogger } from "@hourglass/engine";
import { createCaller } from "@hourglass/engine/api";
import { testCaller } from "../../packages/engine/src/testing.ts";
import { SseClient, type SseMessage } from "../../packages/engine/test/sse-client.ts";

const { values } = parseArgs({
  options: { subscribers: { type: "string", default: "100" }, changes: { type: "string", default: "300" }, interval: { type: "string", default: "20" } },
});
const SUBSCRIBERS = Number(values.subscribers);
const CHANGES = Number(values.changes);
const INTERVAL_MS = Number(values.interval);

const db = await createTestDatabase();
const engine = createEngine({ db, logger: silentLogger });
const bench = testCaller("bench");
const api = createCaller({ engine, caller: bench });
await engine.internal.queues.createQueue(bench, { name: "q_events", project: "demo" });
await engine.access.principals.create({ kind: "user", name: "reader", scopes: ["assume:project:demo:reader"], by: "bench" });
const { token } = await engine.access.credentials.createToken(bench, { principalId: "user:reader", name: "b", scopes: ["*"] });

const engineDir = join(import.meta.dirname, "..", "..", "packages", "engine");
const web = spawn(process.execPath, ["--import", "tsx", "test/web-events-server.ts"], {
  cwd: engineDir, env: { PATH: process.env.PATH, DATABASE_URL: db.url, PORT: "0" }, stdio: ["ignore", "pipe", "inherit"],
});
process.on("exit", () => web.kill("SIGKILL")); // never leave the web process behind, even on a crash
const port = await new Promise<number>((resolve, reject) => {
  let out = "";
  web.stdout!.on("data", (c) => {
    out += c;
    const m = /listening (\d+)/.exec(out);
    if (m) resolve(Number(m[1]));
  });
  web.on("exit", (code) => reject(new Error(`the web process exited (${code})`)));
});

/** Commit time of each change, by job id; receipts per subscriber. */
const committed = new Map<string, number>();
const received: { job: string; at: number }[] = [];
const onMessage = (m: SseMessage) => received.push({ job: (JSON.parse(m.data) as { entityId: string }).entityId, at: m.receivedAt });
const url = `http://127.0.0.1:${port}/api/events?project=demo&entityKind=queue_job&action=enqueued`;
const clients = Array.from({ length: SUBSCRIBERS }, () => new SseClient(url, { authorization: `Bearer ${token}` }, onMessage).start());
const wait = async (check: () => boolean, what: string, ms = 60_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};
await wait(() => clients.every((c) => c.connects === 1 && c.lastId !== ""), "every subscriber to connect");

const enqueue = async (n: number) => {
  const { jobDescriptors } = await api.queues.enqueueJobs({ queueName: "q_events", jobs: Array.from({ length: n }, () => ({ body: "x" })) });
  const at = Date.now();
  for (const d of jobDescriptors) committed.set(d.split(":").at(-1)!, at);
  return jobDescriptors.length;
};

// warm-up: connections, plans, the feed's caches
for (let i = 0; i < 20; i++) await enqueue(1);
await wait(() => received.length === 20 * SUBSCRIBERS, "the warm-up events");
received.length = 0;
committed.clear();

for (let i = 0; i < CHANGES; i++) {
  await enqueue(1);
  await new Promise((r) => setTimeout(r, INTERVAL_MS));
}
await wait(() => received.length === CHANGES * SUBSCRIBERS, "every change at every subscriber");
const lags = received.map((r) => Math.max(0, r.at - committed.get(r.job)!)).sort((a, b) => a - b);
const at = (q: number) => lags[Math.min(lags.length - 1, Math.floor(q * lags.length))]!;
const paced = { p50: at(0.5), p99: at(0.99), max: lags[lags.length - 1]! };

received.length = 0;
committed.clear();
const burstStart = Date.now();
let burst = 0;
for (let i = 0; i < 10; i++) burst += await enqueue(500);
const committedAll = Date.now();
await wait(() => received.length === burst * SUBSCRIBERS, "the burst at every subscriber");
const lastReceipt = received.reduce((m, r) => Math.max(m, r.at), 0);

console.log(`\n${SUBSCRIBERS} subscribers (one web process, LISTEN), ${CHANGES} changes ${INTERVAL_MS} ms apart; milliseconds\n`);
console.log("| measure | p50 | p99 | max |\n|---|---|---|---|");
console.log(`| commit → receipt, each change at each subscriber | ${paced.p50} | ${paced.p99} | ${paced.max} |`);
console.log(`\nburst: ${burst} events in 10 statements committed in ${committedAll - burstStart} ms;`
  + ` every subscriber had all of them ${lastReceipt - committedAll} ms after the last commit`
  + ` (${Math.round((burst * SUBSCRIBERS) / ((lastReceipt - burstStart) / 1000)).toLocaleString()} deliveries/s)`);

await Promise.all(clients.map((c) => c.stop()));
web.kill("SIGTERM");
await new Promise((r) => web.once("exit", r));
await engine.feed.close();
await db.drop();
