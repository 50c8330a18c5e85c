// Drain scenarios: three worker processes drain http-executor jobs (calls to
// the counter server) while the benchmark kills a worker (-9 or SIGTERM)
// every few seconds, or restarts PostgreSQL (fast or immediate) a few times.
// Afterwards the counter server's record and the queue's rows are compared.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CounterServer, Execution } from "./counter.ts";
import { CALLER, type ChaosServer, type ScenarioDatabase } from "./database.ts";
import { claimsBack, completedTwice, doubleRuns, type AttemptRecord, type Fault, type JobRecord } from "./evidence.ts";
import { describeExit, Fleet } from "./fleet.ts";
import type { DrainRow } from "./table.ts";

export type DrainFault = "kill9" | "sigterm" | "pg-fast" | "pg-immediate";

export const DRAIN = {
  workers: 3,
  concurrency: 10,
  /** The drain queue's claim timeout: a kill -9'd worker's claims lapse and run again after this long. */
  claimTimeoutMillis: 5000,
  maintenanceIntervalMs: 200,
  shutdownGraceMs: 2000,
  /** Attempts each job allows: a run cut short by a kill -9 uses one up, and kills must not use them all. */
  attempts: 100,
  /** The counter server answers each call after this long. */
  answerMs: 10,
  /** Kills come every killEveryMs[0] to [1] ms, until the drain has run every job once. */
  killEveryMs: [2000, 4000] as const,
  /** Restarts when these fractions of the jobs have run. */
  restartAt: [0.15, 0.4, 0.65],
  /** Faults stop once every job has run, or after this long. */
  faultsForMs: 300_000,
  /**
   * The drain ends when every job has succeeded, or when none has for
   * stallMs (the rest are lost: a kill -9'd claim is back within seconds),
   * or capMs after the jobs were enqueued, whichever comes first.
   */
  stallMs: 30_000,
  capMs: 600_000,
};

export const DRAIN_TITLES: Record<DrainFault, string> = {
  kill9: "kill -9 a worker every 2–4 s",
  sigterm: "SIGTERM a worker every 2–4 s",
  "pg-fast": "PostgreSQL restart -m fast ×3",
  "pg-immediate": "PostgreSQL restart -m immediate ×3",
};

const QUEUE = "chaos";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number, digits = 1) => (ms / 1000).toFixed(digits);

/** What a drain went through: its faults, and when the drain could resume after each (a kill; a restart's return). */
interface Run {
  fault: DrainFault;
  jobs: number;
  faults: Fault[];
  resumable: number[];
  drainMs: number;
  /** Why the drain ended short of every job succeeding, if it did. */
  ended?: string;
}

export async function runDrain(server: ChaosServer, counter: CounterServer, fault: DrainFault, jobs: number): Promise<DrainRow> {
  const sdb = await server.database(`chaos_${fault.replace("-", "_")}`);
  const empty = mkdtempSync(join(tmpdir(), "hourglass-chaos-empty-"));
  const fleet = new Fleet(fault, DRAIN.workers, {
    DATABASE_URL: sdb.url,
    HOURGLASS_WORKER_CONCURRENCY: String(DRAIN.concurrency),
    HOURGLASS_POLL_INTERVAL_MS: "200",
    HOURGLASS_MAINTENANCE_INTERVAL_MS: String(DRAIN.maintenanceIntervalMs),
    HOURGLASS_SHUTDOWN_GRACE_MS: String(DRAIN.shutdownGraceMs),
    // no scheduler jobs or request specs from the repository's config: only the drain runs
    HOURGLASS_PROJECTS_DIR: empty,
    HOURGLASS_SPECS_DIR: empty,
  });
  let progress: NodeJS.Timeout | undefined;
  try {
    await sdb.engine.internal.queues.createQueue(CALLER, {
      name: QUEUE,
      claimTimeoutMillis: DRAIN.claimTimeoutMillis,
      executor: { kind: "http", method: "POST", url: counter.url, headers: {}, retryDelayMillis: 0, timeoutMillis: 10_000 },
    });
    await fleet.start();
    counter.reset();
    const t0 = Date.now();
    for (let start = 0; start < jobs; start += 5000) {
      const batch = Array.from({ length: Math.min(5000, jobs - start) }, (_, i) => ({
        body: `j${start + i}`, priority: 1, numAttemptsAllowed: DRAIN.attempts, customStatus: "",
      }));
      await sdb.engine.jobs.enqueueJobs(CALLER, { queueName: QUEUE, jobs: batch });
    }
    const run: Run = { fault, jobs, faults: [], resumable: [], drainMs: 0 };
    progress = setInterval(() => console.error(`  ${seconds(Date.now() - t0, 0)} s: ${counter.answered.size} of ${jobs} jobs run, `
      + `${counter.executions.length} executions, ${run.faults.length} faults, ${fleet.readyCount()} workers ready`), 5000);
    if (fault === "kill9" || fault === "sigterm") await kills(run, fleet, counter, fault === "kill9" ? "SIGKILL" : "SIGTERM");
    else await restarts(run, server, counter, fault === "pg-fast" ? "fast" : "immediate");
    run.ended = await untilSucceeded(sdb, jobs, t0 + DRAIN.capMs);
    run.drainMs = Date.now() - t0;
    clearInterval(progress);
    await sleep(1000); // a late duplicate would show here
    await fleet.stop();
    await counter.flush();
    return await evaluate(sdb, counter, fleet, run);
  } finally {
    clearInterval(progress);
    await fleet.stop();
    await sdb.close();
    rmSync(empty, { recursive: true, force: true });
  }
}

/** A worker signalled every few seconds until every job has run once (or the fault period ends). */
async function kills(run: Run, fleet: Fleet, counter: CounterServer, signal: "SIGKILL" | "SIGTERM"): Promise<void> {
  const end = Date.now() + DRAIN.faultsForMs;
  const more = () => counter.answered.size < run.jobs && Date.now() < end;
  const [min, max] = DRAIN.killEveryMs;
  while (more()) {
    await sleep(min + Math.random() * (max - min));
    // never the last ready worker: with the others still starting (Node and tsx take seconds on a busy
    // machine), the drain would stop for their start-up, which says nothing about Hourglass
    while (more() && fleet.readyCount() < 2) await sleep(50);
    if (!more()) break;
    const at = Date.now();
    fleet.kill(signal, 1);
    run.faults.push({ at, until: at });
    run.resumable.push(at);
  }
}

/** PostgreSQL restarted as the drain passes each of DRAIN.restartAt, each time once the drain has resumed. */
async function restarts(run: Run, server: ChaosServer, counter: CounterServer, mode: "fast" | "immediate"): Promise<void> {
  const end = Date.now() + DRAIN.faultsForMs;
  for (const fraction of DRAIN.restartAt) {
    while (counter.answered.size < run.jobs * fraction && Date.now() < end) await sleep(10);
    if (Date.now() >= end) break;
    const at = Date.now();
    await server.pg.restart(mode);
    const back = Date.now();
    run.faults.push({ at, until: back });
    run.resumable.push(back);
    const waitUntil = Date.now() + 30_000;
    while (counter.firstStartAfter(back) === null && counter.answered.size < run.jobs && Date.now() < waitUntil) await sleep(10);
  }
}

/** Waits for every job to succeed; returns why it stopped waiting otherwise (see DRAIN.stallMs). */
async function untilSucceeded(sdb: ScenarioDatabase, jobs: number, cap: number): Promise<string | undefined> {
  let last = -1;
  let changedAt = Date.now();
  for (;;) {
    const [row] = await sdb.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM queue_job WHERE queue_name = $1 AND state = 'SUCCEEDED'`, [QUEUE]);
    if (row!.n >= jobs) return undefined;
    if (row!.n !== last) [last, changedAt] = [row!.n, Date.now()];
    if (Date.now() - changedAt > DRAIN.stallMs) return `no job succeeded for ${seconds(DRAIN.stallMs, 0)} s`;
    if (Date.now() > cap) return `still draining at the ${seconds(DRAIN.capMs, 0)} s cap`;
    await sleep(250);
  }
}

/** The rows of every job run more than once, or with more than one succeeded attempt; and those attempts. */
async function records(sdb: ScenarioDatabase, byJob: Map<string, Execution[]>) {
  const attempts = (await sdb.query<{ job_id: string; claim_descriptor: string }>(
    `SELECT job_id::text, claim_descriptor FROM queue_job_attempt
      WHERE succeeded AND job_id IN (SELECT job_id FROM queue_job_attempt WHERE succeeded GROUP BY job_id HAVING count(*) > 1)`))
    .map((a): AttemptRecord => ({ jobId: a.job_id, claimDescriptor: a.claim_descriptor, succeeded: true }));
  const rerun = [...byJob].filter(([, runs]) => runs.length > 1).map(([d]) => d.slice(d.indexOf(":") + 1));
  const ids = [...new Set([...rerun, ...attempts.map((a) => a.jobId)])];
  const rows = await sdb.query<{ id: string; state: string; claim_descriptor: string | null; history: JobRecord["history"] }>(
    `SELECT id::text, state::text, claim_descriptor, history FROM queue_job WHERE id = ANY($1::bigint[])`, [ids]);
  const byId = new Map(rows.map((r): [string, JobRecord] => [
    r.id, { id: r.id, state: r.state, claimDescriptor: r.claim_descriptor, history: r.history },
  ]));
  return { jobs: byId, attempts };
}

async function evaluate(sdb: ScenarioDatabase, counter: CounterServer, fleet: Fleet, run: Run): Promise<DrainRow> {
  const states = await sdb.query<{ state: string; n: number }>(
    `SELECT state::text, count(*)::int AS n FROM queue_job WHERE queue_name = $1 GROUP BY state`, [QUEUE]);
  const succeeded = states.find((s) => s.state === "SUCCEEDED")?.n ?? 0;
  const byJob = new Map<string, Execution[]>();
  for (const e of counter.executions) byJob.set(e.job, [...(byJob.get(e.job) ?? []), e]);
  for (const list of byJob.values()) list.sort((a, b) => a.start - b.start);
  const found = await records(sdb, byJob);
  const doubles = doubleRuns(byJob, found.jobs, run.faults);
  const twice = completedTwice(found.jobs, found.attempts);
  const [handedBack] = await sdb.query<{ resurrected: number; released: number }>(
    `SELECT count(*) FILTER (WHERE history::text LIKE '%"resurrector"%')::int AS resurrected,
            count(*) FILTER (WHERE history::text LIKE '%released unfinished%'
                                OR history::text LIKE '%claim lost with its connection%')::int AS released
       FROM queue_job WHERE queue_name = $1`, [QUEUE]);
  const recovered = run.resumable.flatMap((t) => {
    const next = counter.firstStartAfter(t);
    return next === null ? [] : [next - t];
  });

  const restarted = run.fault.startsWith("pg");
  const notes: string[] = [];
  notes.push(`${run.faults.length} ${restarted ? "restarts" : "kills"}; drained in ${seconds(run.drainMs)} s; `
    + `${counter.executions.length} executions; `
    + `${handedBack!.resurrected} jobs resurrected after a lapsed claim, ${handedBack!.released} released by their worker`);
  const back = claimsBack(byJob, found.jobs, fleet.kills);
  if (back.length) {
    notes.push(`a killed worker's claims ran again ${seconds(Math.min(...back))}–${seconds(Math.max(...back))} s after the kill `
      + `(claim timeout ${seconds(DRAIN.claimTimeoutMillis, 0)} s; a resurrected job is due from its resurrection, behind the jobs already due)`);
  }
  if (restarted) {
    notes.push(`database away ${run.faults.map((f) => seconds(f.until - f.at)).join(" / ")} s; `
      + `drain resumed ${recovered.map((m) => seconds(m, 2)).join(" / ")} s after it was back`);
  }
  if (succeeded < run.jobs) {
    notes.push(`lost: ${run.jobs - succeeded} jobs not SUCCEEDED when the drain ended (${run.ended}): `
      + `${states.map((s) => `${s.state} ${s.n}`).join(", ")}; ${run.jobs - byJob.size} never reached the counter server`);
  }
  for (const e of doubles.examples) notes.push(`unexplained double run: ${e}`);
  for (const id of twice.slice(0, 5)) notes.push(`completed twice: ${QUEUE}:${id} ${JSON.stringify(found.jobs.get(id))}`);
  for (const o of counter.overlaps.slice(0, 5)) notes.push(`running twice at once: ${o.job} at ${new Date(o.at).toISOString()}`);
  notes.push(...fleet.unexpected.map(describeExit));
  return {
    kind: "drain",
    scenario: DRAIN_TITLES[run.fault],
    faultKind: run.fault,
    enqueued: run.jobs,
    succeeded,
    lost: run.jobs - succeeded,
    executedTwice: doubles.jobs,
    explained: doubles.explained,
    explainedHow: { timing: doubles.byTiming, history: doubles.byHistory },
    completedTwice: twice.length,
    runningTwice: new Set(counter.overlaps.map((o) => o.job)).size,
    workerExits: fleet.unexpected.length,
    recoverMs: recovered.length ? Math.max(...recovered) : null,
    notes,
  };
}
