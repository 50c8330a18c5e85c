// `pnpm bench:events`: fan-out latency of the public event stream. On a fresh
// database of the test server, a web process (the engine and the handler the
// web app's /api/events route delegates to: packages/engine/test/web-events-server.ts)
// serves N subscribers (a process of their own, bench/events/subscribers.ts)
// over real HTTP (SSE); this process commits changes — one job enqueued per
// change, paced — and times each from its commit (when the writer's COMMIT
// returned) to its receipt at each subscriber. Then a burst: 5,000 events in
// ten statements, timed to the last receipt.
//
// Options: --subscribers N (100), --changes N (300), --interval ms (20)
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { createTestDatabase } from "@hourglass/db/testing";
import { createEngine, silentLogger } from "@hourglass/engine";
import { createCaller } from "@hourglass/engine/api";
import { testCaller } from "../../packages/engine/src/testing.ts";

const { values } = parseArgs({
  options: { subscribers: { type: "string", default: "100" }, changes: { type: "string", default: "300" }, interval: { type: "string", default: "20" } },
});
const SUBSCRIBERS = Number(values.subscribers);
const CHANGES = Number(values.changes);
const INTERVAL_MS = Number(values.interval);
const BURST_STATEMENTS = 10;
const BURST_JOBS = 500;

const db = await createTestDatabase();
const engine = createEngine({ db, logger: silentLogger });
const bench = testCaller("bench");
const api = createCaller({ engine, caller: bench });
await engine.internal.queues.createQueue(bench, { name: "q_events", project: "demo" });
await engine.access.principals.create({ kind: "user", name: "reader", scopes: ["assume:project:demo:reader"], by: "bench" });
const { token } = await engine.access.credentials.createToken(bench, { principalId: "user:reader", name: "b", scopes: ["*"] });

const children: ChildProcess[] = [];
process.on("exit", () => children.forEach((c) => c.kill("SIGKILL"))); // never leave them behind, even on a crash

/** A child process and the lines it prints. */
function start(cwd: string, args: string[]) {
  const child = spawn(process.execPath, ["--import", "tsx", ...args], {
    cwd, env: { PATH: process.env.PATH, DATABASE_URL: db.url, PORT: "0" }, stdio: ["pipe", "pipe", "inherit"],
  });
  children.push(child);
  const waiting: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const i = waiting.findIndex((w) => w.test(line));
    if (i >= 0) waiting.splice(i, 1)[0]!.resolve(line);
  });
  child.on("exit", (code) => code !== 0 && code !== null && console.error(`${args.join(" ")} exited (${code})`));
  const line = (test: RegExp) => new Promise<string>((resolve) => waiting.push({ test: (l) => test.test(l), resolve }));
  return { child, line, send: (text: string) => child.stdin!.write(`${text}\n`) };
}

const web = start(join(import.meta.dirname, "..", "..", "packages", "engine"), ["test/web-events-server.ts"]);
const port = Number(/listening (\d+)/.exec(await web.line(/^listening/))![1]);
const url = `http://127.0.0.1:${port}/api/events?project=demo&entityKind=queue_job&action=enqueued`;
const subs = start(import.meta.dirname, ["subscribers.ts", url, token, String(SUBSCRIBERS)]);
await subs.line(/^connected$/);

const dir = mkdtempSync(join(tmpdir(), "hourglass-bench-events-"));
/** Commit time of each change, by job id. */
const committed = new Map<string, number>();
const enqueue = async (n: number) => {
  const { jobDescriptors } = await api.queues.enqueueJobs({ queueName: "q_events", jobs: Array.from({ length: n }, () => ({ body: "x" })) });
  const at = Date.now();
  for (const d of jobDescriptors) committed.set(d.split(":").at(-1)!, at);
};
/** Waits until the subscribers hold `n` receipts, then takes them. */
async function receipts(n: number): Promise<[string, number][]> {
  for (let deadline = Date.now() + 120_000; ;) {
    subs.send("count");
    const have = Number((await subs.line(/^count /)).split(" ")[1]);
    if (have >= n) break;
    if (Date.now() > deadline) throw new Error(`timed out: ${have} of ${n} receipts`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const path = join(dir, "receipts.json");
  subs.send(`report ${path}`);
  await subs.line(/^reported$/);
  return JSON.parse(readFileSync(path, "utf8")) as [string, number][];
}

// warm-up: connections, plans, the feed's caches
for (let i = 0; i < 20; i++) await enqueue(1);
await receipts(20 * SUBSCRIBERS);
committed.clear();

for (let i = 0; i < CHANGES; i++) {
  await enqueue(1);
  await new Promise((r) => setTimeout(r, INTERVAL_MS));
}
const paced = (await receipts(CHANGES * SUBSCRIBERS)).map(([job, at]) => Math.max(0, at - committed.get(job)!)).sort((a, b) => a - b);
const q = (p: number) => paced[Math.min(paced.length - 1, Math.floor(p * paced.length))]!;

committed.clear();
const burstStart = Date.now();
for (let i = 0; i < BURST_STATEMENTS; i++) await enqueue(BURST_JOBS);
const lastCommit = Date.now();
const burst = await receipts(BURST_STATEMENTS * BURST_JOBS * SUBSCRIBERS);
const lastReceipt = burst.reduce((m, [, at]) => Math.max(m, at), 0);
const burstLags = burst.map(([job, at]) => at - committed.get(job)!).sort((a, b) => a - b);

console.log(`\n${SUBSCRIBERS} subscribers of one web process (LISTEN); ${CHANGES} changes ${INTERVAL_MS} ms apart; milliseconds\n`);
console.log("| measure | p50 | p99 | max |\n|---|---|---|---|");
console.log(`| commit → receipt, each change at each subscriber | ${q(0.5)} | ${q(0.99)} | ${paced[paced.length - 1]} |`);
const events = BURST_STATEMENTS * BURST_JOBS;
console.log(`\nburst: ${events} events in ${BURST_STATEMENTS} statements, committed in ${lastCommit - burstStart} ms; `
  + `commit → receipt p50 ${burstLags[Math.floor(burstLags.length / 2)]} ms; every subscriber had every event `
  + `${lastReceipt - lastCommit} ms after the last commit (${Math.round((events * SUBSCRIBERS) / ((lastReceipt - burstStart) / 1000)).toLocaleString()} deliveries/s)`);

subs.send("stop");
web.child.kill("SIGTERM");
await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once("exit", r)))));
rmSync(dir, { recursive: true, force: true });
await engine.feed.close();
await db.drop();
