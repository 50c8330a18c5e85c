// A real worker process serving /metrics on its health port: after it has
// run jobs, its counters (claims, acks by outcome, lease expiries,
// invocations, tick lag) have moved and the queue gauge reads the
// database's counts; HOURGLASS_METRICS_TOKEN guards the endpoint; its log
// lines are JSON with the entity ids as fields.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEngine, type TestEngine } from "../src/testing.ts";
import { until, WorkerProcess } from "./helpers.ts";

const TOKEN = "metrics-token-for-the-test";
const dir = mkdtempSync(join(tmpdir(), "hourglass-metrics-projects-"));
let t: TestEngine;
let worker: WorkerProcess;
let port: number;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  t = await createTestEngine();
  writeFileSync(join(dir, "tick.yaml"), `jobs:\n  - id: every-second\n    schedule: "* * * * * *"\n    task: { kind: noop }\n`);
  await t.api.queues.createQueue({ name: "m_ok", executor: { kind: "noop" } });
  await t.api.queues.createQueue({ name: "m_fail", executor: { kind: "shell", command: "false", retryDelayMillis: 0 } });
  await t.api.queues.createQueue({ name: "m_lease", claimTimeoutMillis: 1000 }); // no executor: the test claims by hand
  port = await freePort();
  worker = new WorkerProcess("m1", t.db.url, {
    HOURGLASS_WORKER_HEALTH_PORT: String(port), HOURGLASS_METRICS_TOKEN: TOKEN, HOURGLASS_LOG_FORMAT: "json",
    HOURGLASS_PROJECTS_DIR: dir, HOURGLASS_SCHEDULER_INTERVAL_MS: "50", HOURGLASS_POLL_INTERVAL_MS: "50",
  });
  await worker.ready();
}, 60_000);

afterAll(async () => {
  worker?.kill("SIGKILL");
  await worker?.exited;
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

const scrape = (authorization: string | null = `Bearer ${TOKEN}`) =>
  fetch(`http://127.0.0.1:${port}/metrics`, { headers: authorization ? { authorization } : {} });

async function samples(): Promise<Sample[]> {
  const res = await scrape();
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parse(await res.text());
}

interface Sample { name: string; labels: Record<string, string>; value: number }

/** The Prometheus text format's samples (comments skipped). */
function parse(text: string): Sample[] {
  return text.split("\n").filter((l) => l && !l.startsWith("#")).map((line) => {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels = Object.fromEntries([...(m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]));
    return { name: m[1]!, labels, value: Number(m[3]) };
  });
}

/** The value of the one sample of `name` whose labels include `labels`; undefined when there is none. */
function value(all: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = all.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  expect(found.length, `${name} ${JSON.stringify(labels)}`).toBeLessThanOrEqual(1);
  return found[0]?.value;
}

const count = async (queueName: string, jobState: "SUCCEEDED" | "FAILED" | "PENDING" | "IN_PROGRESS") =>
  (await t.api.queues.getJobCount({ queueName, jobState })).count;

describe("a worker's /metrics", () => {
  it("counts claims and acks by outcome, and the queue gauge reads the database", async () => {
    await t.api.queues.enqueueJobs({ queueName: "m_ok", jobs: Array.from({ length: 7 }, (_, i) => ({ body: `ok-${i}` })) });
    await t.api.queues.enqueueJobs({ queueName: "m_fail", jobs: [{ body: "a", numAttemptsAllowed: 2 }, { body: "b", numAttemptsAllowed: 2 }] });
    await t.api.queues.enqueueJobs({ queueName: "m_lease", jobs: [{ body: "later", runAfterTimestampMillis: Date.now() + 3_600_000 }] });
    await until(async () => (await count("m_ok", "SUCCEEDED")) === 7 && (await count("m_fail", "FAILED")) === 2, "the jobs to finish", 5000);

    const m = await samples();
    expect(value(m, "hourglass_queue_claims_total", { queue: "m_ok" })).toBe(7);
    expect(value(m, "hourglass_queue_acks_total", { queue: "m_ok", outcome: "succeeded" })).toBe(7);
    // each failing job: one failed attempt with one left (retried), then the last (failed)
    expect(value(m, "hourglass_queue_claims_total", { queue: "m_fail" })).toBe(4);
    expect(value(m, "hourglass_queue_acks_total", { queue: "m_fail", outcome: "retried" })).toBe(2);
    expect(value(m, "hourglass_queue_acks_total", { queue: "m_fail", outcome: "failed" })).toBe(2);
    // the gauge: every state of every queue, zeros included, from the database
    expect(value(m, "hourglass_queue_jobs", { queue: "m_ok", state: "SUCCEEDED" })).toBe(7);
    expect(value(m, "hourglass_queue_jobs", { queue: "m_ok", state: "PENDING" })).toBe(0);
    expect(value(m, "hourglass_queue_jobs", { queue: "m_fail", state: "FAILED" })).toBe(2);
    expect(value(m, "hourglass_queue_jobs", { queue: "m_lease", state: "PENDING" })).toBe(1);
    expect(value(m, "hourglass_metrics_database_up")).toBe(1);
    expect(value(m, "hourglass_scheduler_triage_backlog")).toBeGreaterThanOrEqual(0);
    // Node's process metrics are on the same registry
    expect(value(m, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
    expect(value(m, "nodejs_eventloop_lag_seconds")).toBeGreaterThanOrEqual(0);
  });

  it("counts a lease that lapsed, handed back by the worker's resurrector", async () => {
    const { jobDescriptors: [d] } = await t.api.queues.enqueueJobs({ queueName: "m_lease", jobs: [{ body: "abandoned" }] });
    const claimed = await t.api.queues.dequeueJobs({ queueName: "m_lease", limit: 1 }); // and never acked
    expect(Object.keys(claimed.jobs)).toEqual([d]);
    await until(async () => (await t.api.queues.lookupJobs({ jobDescriptors: [d!] }))[d!]?.jobState === "PENDING", "the lease to lapse", 4000);
    await until(async () => value(await samples(), "hourglass_queue_lease_expiries_total", { queue: "m_lease", outcome: "retried" }) === 1,
      "the expiry in the worker's metrics", 2000);
  });

  it("times each cron slot to its invocation running, and counts the invocations' ends", async () => {
    const m = await until(async () => {
      const all = await samples();
      const ran = (value(all, "hourglass_scheduler_tick_lag_seconds_count") ?? 0) >= 1
        && (value(all, "hourglass_invocations_finished_total", { state: "SUCCEEDED" }) ?? 0) >= 1;
      return ran ? all : null;
    }, "a slot to run and finish", 4000) as Sample[];
    expect(value(m, "hourglass_scheduler_tick_lag_seconds_sum")).toBeGreaterThanOrEqual(0);
    // a timer fires its slot on the dot: well under a second late (the +Inf bucket counts every observation)
    expect(value(m, "hourglass_scheduler_tick_lag_seconds_bucket", { le: "1" })).toBeGreaterThanOrEqual(1);
    expect(value(m, "hourglass_queue_claims_total", { queue: "hourglass_invocations" })).toBeGreaterThanOrEqual(1);
  });

  it("wants the token when HOURGLASS_METRICS_TOKEN is set: 401 without it or with another, 200 with it", async () => {
    for (const auth of [null, "Bearer wrong", `Bearer ${TOKEN}x`, TOKEN, `Basic ${TOKEN}`]) {
      const res = await scrape(auth);
      expect(res.status, String(auth)).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(await res.text()).not.toContain("hourglass_");
    }
    const res = await scrape(`bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("# HELP hourglass_queue_claims_total");
    // the health paths stay open
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
  });

  it("logs JSON lines with level, time, message and entity ids as fields", () => {
    const lines = worker.output.split("\n").filter((l) => l.trim() !== "");
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>); // every line, or this throws
    const ready = parsed.find((l) => l.msg === "hourglass worker ready")!;
    expect(ready).toMatchObject({ level: "info", name: "worker", workerId: "m1" });
    expect(new Date(ready.time as string).toISOString()).toBe(ready.time);
    expect(parsed.find((l) => l.msg === "loaded project")).toMatchObject({ level: "info", project: "tick" });
  });
});
