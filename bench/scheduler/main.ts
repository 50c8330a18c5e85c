// `pnpm bench:scheduler`: the scheduler at size on real PostgreSQL.
// 10,000 jobs ticking every minute (noop tasks) and 1,000,000 stored
// invocations; measures tick → RUNNING and tick → done delay for one minute slot, trigger →
// done latency, and getJobs / getInvocations latency at that size.
// A noop task finishes as soon as it runs, so "done" is RUNNING plus a few ms.
//
// Options: --jobs N (10000)  --invocations N (1000000)  --triggers N (100)  --calls N (200)  --concurrency N (= jobs)
//          --keep-db (leave hourglass_bench_scheduler in place, to EXPLAIN its queries afterwards)
//          --profile FILE (write a V8 CPU profile of the worker around the slot; open it in Chrome DevTools)
//
// The worker's concurrency defaults to the job count: RUNNING means the task
// has started, so a slot's jobs can all be RUNNING at once only with a
// concurrency slot each. With fewer, tick → RUNNING measures how fast the
// worker cycles through its slots instead.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { createDatabase, migrate } from "@hourglass/db";
import { dropDatabase, recreateDatabase, testServerUrl } from "@hourglass/db/testing";
import { createEngine, silentLogger } from "@hourglass/engine";
import { QueueWorker, SchedulerLoops } from "@hourglass/engine/worker";

const { values } = parseArgs({ options: {
  jobs: { type: "string", default: "10000" }, invocations: { type: "string", default: "1000000" },
  triggers: { type: "string", default: "100" }, calls: { type: "string", default: "200" }, concurrency: { type: "string" },
  "keep-db": { type: "boolean", default: false }, profile: { type: "string" },
} });
const JOBS = Number(values.jobs), CONCURRENCY = Number(values.concurrency ?? values.jobs), INVOCATIONS = Number(values.invocations), TRIGGERS = Number(values.triggers), CALLS = Number(values.calls);
const log = (s: string) => console.error(s);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const dbName = "hourglass_bench_scheduler";
const url = await recreateDatabase(dbName);
await migrate(url);
const db = createDatabase(url, { poolMax: 10 });
const engine = createEngine({ db, logger: silentLogger });
const dir = mkdtempSync(join(tmpdir(), "hourglass-bench-"));
const jobsYaml = Array.from({ length: JOBS }, (_, i) => `  - id: job-${String(i).padStart(5, "0")}\n    schedule: "* * * * *"\n    task: { kind: noop }\n`).join("");
writeFileSync(join(dir, "bench.yaml"), `jobs:\n${jobsYaml}  - id: on-demand\n    task: { kind: noop }\n`);

log(`loading ${JOBS} jobs`);
let t0 = performance.now();
const loops = new SchedulerLoops(engine, { projectsDir: dir, intervalMs: 200, catalogIntervalMs: 60_000 });
const worker = new QueueWorker(engine, { workerId: "bench", concurrency: CONCURRENCY, prefetch: 500, pollIntervalMs: 200, handlers: loops.handlers({}), claimAheadMs: loops.claimAheadMs });
await loops.start();
const loaded = (await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM scheduler_job`)).rows[0]!.n;
if (loaded !== JOBS + 1) throw new Error(`catalog loaded ${loaded} jobs, expected ${JOBS + 1}: ${JSON.stringify((await engine.scheduler.getProjects({ id: "bench" }))[0]?.errors)}`);
log(`  catalog loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

log(`storing ${INVOCATIONS.toLocaleString()} finished invocations (100 jobs × ${INVOCATIONS / 100})`);
t0 = performance.now();
await db.sql.query(
  `INSERT INTO scheduler_invocation (job_key, state, revision, task, triggered_by, started_at, finished_at)
   SELECT 'bench/job-' || lpad((g % 100)::text, 5, '0'), 'SUCCEEDED', 'seed', '{"kind":"noop"}', 'seed',
          now() - interval '30 days' + g * interval '1 second', now() - interval '30 days' + g * interval '1 second' + interval '50 ms'
     FROM generate_series(1, $1) AS g`, [INVOCATIONS]);
// vacuumed as a running system's would be: otherwise autovacuum may pick the seed up during the measured slot
await db.sql.query(`VACUUM ANALYZE scheduler_invocation`);
log(`  stored in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
await worker.start();

// 1. one minute slot: every job ticks at once
// at least 15 s away, so the slot's timers are armed (10 s ahead) and claimed (2 s ahead) as in steady operation
const slot = Math.ceil((Date.now() + 15_000) / 60_000) * 60_000;
log(`waiting for the slot at ${new Date(slot).toISOString()}`);
if (values.profile) {
  // a CPU profile of this process (the worker) from 100 ms before the slot to 1.5 s after it
  const { Session } = await import("node:inspector/promises");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await sleep(Math.max(0, slot - Date.now() - 100));
  await session.post("Profiler.start");
  setTimeout(async () => writeFileSync(values.profile!, JSON.stringify((await session.post("Profiler.stop")).profile)), 1600);
}
await sleep(Math.max(0, slot - Date.now()));
let done = 0;
const deadline = Date.now() + 240_000;
while (Date.now() < deadline) {
  done = (await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM scheduler_invocation WHERE started_at >= $1 AND state = 'SUCCEEDED'`, [new Date(slot)])).rows[0]!.n;
  if (done >= JOBS) break;
  await sleep(1000); // the count scans the slot's invocations: rarely, so as not to load the run it measures
}
const delays = (await db.sql.query<{ ms: number }>(
  `SELECT extract(epoch FROM finished_at - $1::timestamptz) * 1000 AS ms FROM scheduler_invocation WHERE started_at >= $1 AND state = 'SUCCEEDED'`, [new Date(slot)])).rows.map((r) => Number(r.ms));
log(`  ${done} of ${JOBS} slot invocations done`);
// RUNNING is stamped by the "launching the task" debug-log line (time of day, ms); the slot's day anchors it
const running = (await db.sql.query<{ ms: number }>(
  `SELECT extract(epoch FROM (date_trunc('day', $1::timestamptz AT TIME ZONE 'UTC')
            + substring(debug_log FROM '\\[([0-9:.]+)\\] launching the task')::time) - ($1::timestamptz AT TIME ZONE 'UTC')) * 1000 AS ms
     FROM scheduler_invocation WHERE started_at >= $1`, [new Date(slot)])).rows.map((r) => Number(r.ms)).map((ms) => (ms < -3_600_000 ? ms + 86_400_000 : ms));

// the worker claims a slot's tick timers ahead of it (SchedulerLoops.claimAheadMs), so the claim is off the slot's path;
// a job that was not quiet at its slot goes through the triage service instead and is not in these rows
const claims = (await db.sql.query<{ ms: number }>(
  `SELECT extract(epoch FROM q.claimed_at - $1::timestamptz) * 1000 AS ms
     FROM scheduler_invocation i JOIN queue_job q ON q.id = i.timer_job_id
    WHERE i.started_at >= $1`, [new Date(slot)])).rows.map((r) => Number(r.ms));

// 2. trigger -> done, one at a time (the tick loop idle again)
await sleep(3000);
const triggerMs: number[] = [];
for (let i = 0; i < TRIGGERS; i++) {
  const t = performance.now();
  await engine.scheduler.emitTriggers({ id: "bench" }, { batches: [{ trigger: { id: `b-${i}`, title: "", properties: {}, tags: [] }, jobs: ["bench/on-demand"] }] });
  for (;;) {
    const r = await db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM scheduler_invocation WHERE job_key = 'bench/on-demand' AND state = 'SUCCEEDED'`);
    if (r.rows[0]!.n > i) break;
    await sleep(2);
  }
  triggerMs.push(performance.now() - t);
}
await worker.stop();
loops.stop();

// 3. API latency at size
async function time(fn: () => Promise<unknown>): Promise<number[]> {
  const xs: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return xs;
}
const caller = { id: "bench" };
const deepJob = (await engine.scheduler.getJobs(caller, { project: "bench", pageSize: 100, cursor: `bench/job-${String(JOBS - 200).padStart(5, "0")}` })).jobs[0]!.job;
const deepInv = (await db.sql.query<{ id: string }>(`SELECT id::text AS id FROM scheduler_invocation WHERE job_key = 'bench/job-00007' ORDER BY id LIMIT 1 OFFSET 100`)).rows[0]!.id;
const api = {
  "getJobs first page (100)": await time(() => engine.scheduler.getJobs(caller, { pageSize: 100 })),
  "getJobs deep page (100)": await time(() => engine.scheduler.getJobs(caller, { pageSize: 100, cursor: deepJob })),
  "getProjects (state counts)": await time(() => engine.scheduler.getProjects(caller)),
  "getInvocations first page (50)": await time(() => engine.scheduler.getInvocations(caller, { job: "bench/job-00007", pageSize: 50, activeOnly: false, finishedOnly: false })),
  "getInvocations deep page (50)": await time(() => engine.scheduler.getInvocations(caller, { job: "bench/job-00007", pageSize: 50, cursor: deepInv, activeOnly: false, finishedOnly: false })),
  "getInvocations active only": await time(() => engine.scheduler.getInvocations(caller, { job: "bench/job-00007", pageSize: 50, activeOnly: true, finishedOnly: false })),
};

console.log(`\nscheduler benchmark: ${JOBS} jobs every minute, ${INVOCATIONS.toLocaleString()} stored invocations, worker concurrency ${CONCURRENCY}, server ${new URL(testServerUrl()).host}\n`);
console.log(`| measure | p50 ms | p95 ms | p99 ms | max ms |`);
console.log(`|---|---|---|---|---|`);
const row = (name: string, xs: number[]) => console.log(`| ${name} | ${pct(xs, 50).toFixed(1)} | ${pct(xs, 95).toFixed(1)} | ${pct(xs, 99).toFixed(1)} | ${Math.max(...xs).toFixed(1)} |`);
row(`tick → done, one slot of ${JOBS} jobs (${done} done)`, delays.length ? delays : [NaN]);
row(`tick → RUNNING, one slot of ${JOBS} jobs`, running);
row(`  its tick timer claimed, relative to the slot (${claims.length} started by their timer)`, claims.length ? claims : [NaN]);
row(`trigger → done (${TRIGGERS} serial)`, triggerMs);
for (const [name, xs] of Object.entries(api)) row(name, xs);
await db.close();
if (!values["keep-db"]) await dropDatabase(testServerUrl(), dbName);
rmSync(dir, { recursive: true, force: true });
process.exit(0);
