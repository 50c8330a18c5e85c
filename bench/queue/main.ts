// `pnpm bench:queue`: Hourglass (its built-in worker in this process, and
// @hourglass/sdk-worker in an external process), graphile-worker and pg-boss
// side by side in one run, interleaved run by run, each on its own fresh database of the same PostgreSQL server.
// Measures bulk enqueue jobs/s, drain jobs/s — with two clocks: until the last
// handler starts, and until every completion is durable in the database (each
// system's own record of it) — and enqueue-to-start latency over serial jobs;
// checks every job ran exactly once.
//
// Options: --jobs N (20000)  --batch N (1000)  --latency N (1000)  --runs N (1)  --only name,name
import { parseArgs } from "node:util";
import pg from "pg";
import { performance } from "node:perf_hooks";
import { recreateDatabase, dropDatabase, testServerUrl } from "@hourglass/db/testing";
import type { Peer } from "./peer.ts";
import { hourglass } from "./hourglass.ts";
import { graphileWorker } from "./graphile.ts";
import { pgBoss } from "./pgboss.ts";
import { hourglassProcess, hourglassSdk } from "./sdk.ts";

const { values } = parseArgs({
  options: {
    jobs: { type: "string", default: "20000" },
    batch: { type: "string", default: "1000" },
    latency: { type: "string", default: "1000" },
    warmup: { type: "string", default: "20" },
    runs: { type: "string", default: "1" },
    only: { type: "string" },
  },
});
const N = Number(values.jobs);
const BATCH = Number(values.batch);
const LATENCY = Number(values.latency);
const WARMUP = Number(values.warmup);
const RUNS = Number(values.runs);
const peers = [hourglass, hourglassProcess, hourglassSdk, graphileWorker, pgBoss].filter((p) => !values.only || values.only.split(",").includes(p().name));

interface Result {
  enqueue: number;
  drain: number;
  durable: number;
  /** Events written per second during the drain (for a system that keeps an event log). */
  eventsPerSec: number | null;
  p50: number;
  p95: number;
  p99: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function measure(make: () => Peer, run: number): Promise<Result> {
  const peer = make();
  const dbName = `hourglass_bench_${peer.name.replace(/\W/g, "_")}`;
  const url = await recreateDatabase(dbName);
  await peer.setup(url);
  try {
    // 1. bulk enqueue
    let t0 = performance.now();
    for (let start = 0; start < N; start += BATCH) {
      await peer.enqueue(Array.from({ length: Math.min(BATCH, N - start) }, (_, i) => start + i));
    }
    const enqueue = N / ((performance.now() - t0) / 1000);

    // 2. drain: start the worker on the full queue; one clock stops when the last job starts,
    // the other when every completion is in the database (polled on a connection of its own)
    const countEvents = async () => {
      if (!peer.eventsSql) return 0;
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        return (await c.query<{ n: number }>(peer.eventsSql)).rows[0]!.n;
      } finally {
        await c.end();
      }
    };
    const eventsBefore = await countEvents();
    const seen = new Uint8Array(N);
    let started = 0;
    let duplicates = 0;
    t0 = performance.now();
    await peer.startWorker((id) => {
      if (seen[id]) duplicates++;
      seen[id] = 1;
      started++;
    });
    while (started < N) await sleep(2);
    const drain = N / ((performance.now() - t0) / 1000);
    const probe = new pg.Client({ connectionString: url });
    await probe.connect();
    const finished = async () => (await probe.query<{ n: number }>(peer.finishedSql, [N])).rows[0]!.n;
    while ((await finished()) < N) await sleep(2);
    const drainSeconds = (performance.now() - t0) / 1000;
    const durable = N / drainSeconds;
    await probe.end();
    const eventsPerSec = peer.eventsSql ? ((await countEvents()) - eventsBefore) / drainSeconds : null;
    if (duplicates > 0) throw new Error(`${peer.name}: ${duplicates} job(s) ran more than once`);
    await peer.stopWorker();

    // 3. latency: one job at a time, enqueue -> handler start
    let resolveStart: (t: number) => void = () => {};
    await peer.startWorker(() => resolveStart(performance.now()));
    await sleep(200);
    const samples: number[] = [];
    for (let i = 0; i < WARMUP + LATENCY; i++) {
      const startedAt = new Promise<number>((r) => (resolveStart = r));
      const t = performance.now();
      await peer.enqueue([N + i]);
      const s = await startedAt;
      if (i >= WARMUP) samples.push(s - t);
    }
    await peer.stopWorker();
    samples.sort((a, b) => a - b);
    const r = { enqueue, drain, durable, eventsPerSec, p50: pct(samples, 50), p95: pct(samples, 95), p99: pct(samples, 99) };
    console.error(`  ${peer.name} run ${run + 1}: enqueue ${r.enqueue.toFixed(0)}/s, drain ${r.drain.toFixed(0)}/s (durable ${r.durable.toFixed(0)}/s${r.eventsPerSec === null ? "" : `, ${r.eventsPerSec.toFixed(0)} events/s`}), p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms`);
    return r;
  } finally {
    await peer.teardown().catch(() => {});
    await dropDatabase(testServerUrl(), dbName);
  }
}

function summarize(runs: Result[], key: keyof Result): { median: number; min: number; max: number } {
  const xs = runs.map((r) => r[key] ?? 0).sort((a, b) => a - b);
  return { median: xs[Math.floor(xs.length / 2)]!, min: xs[0]!, max: xs.at(-1)! };
}

console.error(`queue benchmark: ${N} jobs, ${BATCH} per bulk call, ${LATENCY} serial latency jobs after ${WARMUP} warm-up, ${RUNS} run(s); server ${new URL(testServerUrl()).host}`);
const results = new Map<string, Result[]>();
for (let run = 0; run < RUNS; run++) {
  for (const make of peers) {
    const name = make().name;
    results.set(name, [...(results.get(name) ?? []), await measure(make, run)]);
  }
}

const fmt = (s: { median: number; min: number; max: number }, digits = 0) =>
  RUNS > 1 ? `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})` : s.median.toFixed(digits);
console.log(`\n| system | bulk enqueue jobs/s | drain, last handler start | drain, all completions durable | enqueue→start p50 / p95 / p99 ms |`);
console.log(`|---|---|---|---|---|`);
for (const [name, runs] of results) {
  console.log(`| ${name} | ${fmt(summarize(runs, "enqueue"))} | ${fmt(summarize(runs, "drain"))} | ${fmt(summarize(runs, "durable"))} | ${summarize(runs, "p50").median.toFixed(2)} / ${summarize(runs, "p95").median.toFixed(2)} / ${summarize(runs, "p99").median.toFixed(2)} |`);
}
const hg = results.get("hourglass");
if (hg) console.log(`\nHourglass wrote ${fmt(summarize(hg, "eventsPerSec"))} events/s to its event log during the drain.`);
if (hg) {
  console.log(`\nHourglass / peer (higher is better for throughput, lower for latency):`);
  for (const [name, runs] of results) {
    if (name === "hourglass") continue;
    const ratio = (k: keyof Result) => summarize(hg, k).median / summarize(runs, k).median;
    console.log(`  vs ${name}: enqueue ×${ratio("enqueue").toFixed(2)}, drain ×${ratio("drain").toFixed(2)}, durable drain ×${ratio("durable").toFixed(2)}, p50 latency ×${ratio("p50").toFixed(2)}, p99 latency ×${ratio("p99").toFixed(2)}`);
  }
}
const sdk = results.get("hourglass-sdk");
for (const [label, base] of [["built-in worker in this process", hg], ["built-in worker in a process", results.get("hourglass-process")]] as const) {
  if (!base || !sdk) continue;
  const runs = Math.min(base.length, sdk.length);
  const perRun = (k: keyof Result) => Array.from({ length: runs }, (_, i) => (sdk[i]![k] as number) / (base[i]![k] as number)).sort((a, b) => a - b);
  const show = (k: keyof Result) => {
    const xs = perRun(k);
    return `×${xs[Math.floor(xs.length / 2)]!.toFixed(3)} (runs ${xs[0]!.toFixed(3)}–${xs.at(-1)!.toFixed(3)})`;
  };
  console.log(`\nSDK worker (a process) / ${label}, per run: drain ${show("drain")}, durable drain ${show("durable")}`);
}
process.exit(0);
