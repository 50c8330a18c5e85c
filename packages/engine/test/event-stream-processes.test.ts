// The event stream across real processes: a web process (the engine and the
// handlers the web app's /api/events route delegates to, test/web-events-server.ts)
// serves a subscription; a worker process changes things (it acks the jobs
// this process enqueues). The subscriber sees each change within 500 ms; and
// after the web process is killed and started again, the subscriber resumes
// with Last-Event-ID and gets every event after it, none lost or repeated.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventInfo } from "../src/events/types.ts";
import { createTestEngine, type TestEngine } from "../src/testing.ts";
import { until, WorkerProcess } from "./helpers.ts";
import { SseClient } from "./sse-client.ts";

/** The web process: prints "listening <port>". */
class WebProcess {
  readonly child: ChildProcess;
  output = "";
  readonly exited: Promise<number | null>;

  constructor(databaseUrl: string, port: number) {
    this.child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "web-events-server.ts")], {
      cwd: join(import.meta.dirname, ".."),
      env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child.stdout!.on("data", (c) => (this.output += c));
    this.child.stderr!.on("data", (c) => (this.output += c));
    this.exited = new Promise((r) => this.child.on("exit", (code) => r(code)));
  }

  async port(): Promise<number> {
    const line = await until(() => /listening (\d+)/.exec(this.output), `the web process to listen (output: ${this.output})`, 30_000);
    return Number(line![1]);
  }
}

let t: TestEngine;
let web: WebProcess;
let worker: WorkerProcess;
let port = 0;

beforeAll(async () => {
  t = await createTestEngine();
  await t.api.queues.createQueue({ name: "live_noop", executor: { kind: "noop" } });
  worker = new WorkerProcess("live-w1", t.db.url);
  web = new WebProcess(t.db.url, 0);
  [port] = await Promise.all([web.port(), worker.ready()]);
}, 60_000);

afterAll(async () => {
  worker?.kill("SIGKILL");
  web?.child.kill("SIGKILL");
  await Promise.all([worker?.exited, web?.exited]);
  await t?.engine.feed.close();
  await t?.close();
});

const enqueue = async (n: number) =>
  (await t.api.queues.enqueueJobs({ queueName: "live_noop", jobs: Array.from({ length: n }, (_, i) => ({ body: `b${i}` })) })).jobDescriptors;
const events = (c: SseClient) => c.data.map((m) => ({ id: m.id, at: m.receivedAt, e: JSON.parse(m.data) as EventInfo }));

describe("the event stream of a web process", () => {
  it("delivers a change another process made within 500 ms, and resumes after the web restarts with none lost or repeated", async () => {
    const path = "/api/events?entityKind=queue_job&action=acked";
    const client = new SseClient(`http://127.0.0.1:${port}${path}`, { authorization: `Bearer ${t.token}` }).start();
    await until(() => client.connects === 1 && client.lastId !== "", "the stream to open");

    // changes one at a time: each ack is the worker's, and reaches the subscriber within 500 ms of being made
    for (let i = 0; i < 20; i++) {
      await enqueue(1);
      await until(() => client.data.length === i + 1, `ack ${i + 1} to arrive`, 10_000, 5);
    }
    const first = events(client);
    expect(first.every(({ e }) => e.actor === "worker:live-w1" && e.to === "SUCCEEDED")).toBe(true);
    const lags = first.map(({ at, e }) => at - e.atTimestampMillis);
    console.log(`change → subscriber: ${lags.join(", ")} ms`);
    expect(Math.max(...lags)).toBeLessThan(500);

    // the web process dies; meanwhile the worker acks more; a new web process comes up on the same port
    const lastSeen = client.lastId;
    web.child.kill("SIGKILL");
    await web.exited;
    await enqueue(30);
    await until(async () => (await t.api.queues.getJobCount({ queueName: "live_noop", jobState: "SUCCEEDED" })).count === 50,
      "the worker to ack the jobs enqueued while the web was down", 20_000);
    web = new WebProcess(t.db.url, port);
    await web.port();
    await until(() => client.connects === 2, "the subscriber to reconnect", 20_000);
    await enqueue(10);
    await until(() => client.data.length >= 60, "the 40 events after the restart", 20_000);

    // exactly the log after the last event seen before the restart, in order, each once
    const truth = (await t.engine.events.follow(lastSeen, 1000, { entityKind: "queue_job" })).filter((e) => e.action === "acked");
    const resumed = events(client).slice(20);
    expect(resumed.map((r) => r.id)).toEqual(truth.map((e) => e.cursor));
    expect(new Set(events(client).map((r) => r.id)).size).toBe(60);
    await client.stop();
  }, 90_000);
});
