// `pnpm bench:chains`: the chain runner and the request page at size.
//
// 1. Runner overhead per job: 1,000 no-op jobs run by one in-process worker
//    (LISTEN/NOTIFY wake-ups), as a linear chain (each job waits for the one
//    before: every hop is dispatch → claim → run → complete) and as a wide
//    chain (1,000 jobs ready at once). A no-op runs in microseconds, so the
//    time per job is the runner's overhead. Also the runner's own time per
//    job (its begin and complete transactions, from the job log).
// 2. Request page with a 1,000-node chain in Chromium (the built dashboard):
//    navigation → graph drawn (laid out, the jobs in view on screen), and →
//    interactive (a click on a job shows its tries).
//
// Options: --jobs N (1000)  --runs N (3)  --skip-graph
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { createDatabase, migrate } from "@hourglass/db";
import { dropDatabase, recreateDatabase, testServerUrl } from "@hourglass/db/testing";
import { createEngine, silentLogger } from "@hourglass/engine";
import { ChainLoops, QueueWorker } from "@hourglass/engine/worker";

const { values } = parseArgs({ options: { jobs: { type: "string", default: "1000" }, runs: { type: "string", default: "3" }, "skip-graph": { type: "boolean", default: false } } });
const JOBS = Number(values.jobs), RUNS = Number(values.runs);
const log = (s: string) => console.error(s);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const median = (xs: number[]) => pct(xs, 50);
const root = join(import.meta.dirname, "..", "..");

const names = Array.from({ length: JOBS }, (_, i) => `n${String(i).padStart(4, "0")}`);
const node = (name: string, deps: string[]) => `      ${name}:\n        category: job\n        type: noop\n${deps.length ? `        deps: [${deps.join(", ")}]\n` : ""}`;
const SPECS = `sequences:
  linear:
    request: true
    nodes:
${names.map((n, i) => node(n, i ? [names[i - 1]!] : [])).join("")}  wide:
    request: true
    nodes:
${names.map((n) => node(n, [])).join("")}`;

const dbName = "hourglass_bench_chains";
const url = await recreateDatabase(dbName);
await migrate(url);
const db = createDatabase(url, { poolMax: 10 });
const engine = createEngine({ db, logger: silentLogger });
const dir = mkdtempSync(join(tmpdir(), "hourglass-bench-specs-"));
writeFileSync(join(dir, "bench.yaml"), SPECS);
const loops = new ChainLoops(engine, { specsDir: dir, intervalMs: 60_000, suspendedTtlMillis: 3_600_000, handlerTypes: [] });
await loops.start();
const worker = new QueueWorker(engine, { workerId: "bench", concurrency: 32, prefetch: 200, pollIntervalMs: 200, handlers: loops.handlers({}) });
await worker.start();
const caller = { id: "bench" };

async function runChain(type: string) {
  const req = await engine.requests.create(caller, { type, args: {}, start: false });
  const t0 = performance.now();
  await engine.requests.start(caller, req.id);
  for (;;) {
    const r = await engine.requests.get(caller, req.id);
    if (r.state === "COMPLETE") break;
    if (r.state !== "RUNNING") throw new Error(`request ${req.id} ended ${r.state}`);
    await sleep(5);
  }
  const wall = performance.now() - t0;
  // each job's run as the job log saw it (begin → complete), and the gap before it started
  const tries = (await db.sql.query<{ ms: number }>(
    `SELECT extract(epoch FROM finished_at - started_at) * 1000 AS ms FROM chain_job_log WHERE request_id = $1`, [req.id])).rows.map((r) => Number(r.ms));
  return { id: req.id, jobs: req.totalJobs, wall, perJob: wall / req.totalJobs, tries };
}

const results: Record<string, { wall: number[]; perJob: number[]; tries: number[]; jobs: number }> = {};
let graphRequest = "";
for (const type of ["linear", "wide"]) {
  results[type] = { wall: [], perJob: [], tries: [], jobs: 0 };
  for (let i = 0; i < RUNS; i++) {
    const r = await runChain(type);
    log(`  ${type}: ${r.jobs} jobs in ${r.wall.toFixed(0)} ms (${r.perJob.toFixed(2)} ms/job)`);
    results[type]!.wall.push(r.wall);
    results[type]!.perJob.push(r.perJob);
    results[type]!.tries.push(...r.tries);
    results[type]!.jobs = r.jobs;
    if (type === "linear") graphRequest = r.id;
  }
}
await worker.stop();
loops.stop();

console.log(`\nchains benchmark: ${JOBS} no-op jobs per chain, ${RUNS} runs, one worker (concurrency 32), server ${new URL(testServerUrl()).host}\n`);
console.log(`| chain | jobs (with start / end) | wall ms, median | per job ms, median (min–max) | one job's run p50 / p99 ms |`);
console.log(`|---|---|---|---|---|`);
for (const [type, r] of Object.entries(results)) {
  console.log(`| ${type} | ${r.jobs} | ${median(r.wall).toFixed(0)} | ${median(r.perJob).toFixed(2)} (${Math.min(...r.perJob).toFixed(2)}–${Math.max(...r.perJob).toFixed(2)}) | ${pct(r.tries, 50).toFixed(1)} / ${pct(r.tries, 99).toFixed(1)} |`);
}

if (!values["skip-graph"]) await benchGraph(graphRequest);

await db.close();
await dropDatabase(testServerUrl(), dbName);
rmSync(dir, { recursive: true, force: true });
process.exit(0);

/** The request page of a finished 1,000-job chain in Chromium, against the built dashboard. */
async function benchGraph(requestId: string) {
  if (!existsSync(join(root, "apps/web/.next/BUILD_ID"))) {
    log("building the dashboard (pnpm turbo run build --filter=@hourglass/web)");
    execFileSync("pnpm", ["turbo", "run", "build", "--filter=@hourglass/web"], { cwd: root, stdio: "inherit" });
  }
  const port = 3190;
  const web = spawn(join(root, "apps/web/node_modules/.bin/next"), ["start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: join(root, "apps/web"), env: { ...process.env, DATABASE_URL: url }, stdio: "ignore",
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      const ok = await fetch(`${base}/api/trpc/requests.version`).then((r) => r.ok, () => false);
      if (ok) break;
      if (i > 300) throw new Error("the dashboard did not start");
      await sleep(100);
    }
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${base}/requests/${requestId}`); // warm-up: compiles nothing (production build), fills caches
    await page.locator('[data-testid^="chain-node-"]').first().waitFor();
    // Large chains open at a readable zoom centred on the graph, with only the nodes in view in the
    // DOM: "drawn" is when the centre job is on screen, "interactive" when clicking it shows its tries.
    const centre = `chain-node-${names[Math.floor(JOBS / 2)]}`;
    const drawn: number[] = [], interactive: number[] = [];
    let nodes = 0;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await page.goto(`${base}/requests/${requestId}`);
      await page.getByTestId(centre).waitFor({ state: "visible", timeout: 60_000 });
      drawn.push(performance.now() - t0);
      nodes = await page.locator('[data-testid^="chain-node-"]').count();
      await page.getByTestId(centre).click();
      await page.getByTestId("job-tries").getByText("Try 1").waitFor();
      interactive.push(performance.now() - t0);
    }
    await browser.close();
    console.log(`\nrequest page of a ${JOBS + 2}-job chain (${nodes} nodes in view and in the DOM; Chromium 1440×900, production build), 5 loads:\n`);
    console.log(`| measure | median ms | max ms |`);
    console.log(`|---|---|---|`);
    console.log(`| navigation → graph drawn (centre job on screen) | ${median(drawn).toFixed(0)} | ${Math.max(...drawn).toFixed(0)} |`);
    console.log(`| navigation → a node click shows its tries | ${median(interactive).toFixed(0)} | ${Math.max(...interactive).toFixed(0)} |`);
  } finally {
    web.kill("SIGTERM");
  }
}
