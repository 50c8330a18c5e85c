// Enqueue inside the program's own transaction (hourglass.enqueue_jobs through
// enqueueInTransaction): the program's row and its job commit together or
// roll back together, a worker runs the job after commit, refusals are the
// API's, and the function writes what the API's enqueueJobs writes.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueInTransaction } from "../src/index.ts";
import { createTestEngine, createWorker, type HourglassWorker, type TestEngine } from "./engine.ts";

let t: TestEngine;
let app: pg.Client;
let worker: HourglassWorker;
/** Resolvers of the bodies the worker's handler is waiting to see. */
const awaited = new Map<string, (descriptor: string) => void>();
const ran: string[] = [];

const count = async (sql: string, values: unknown[] = []) =>
  Number((await t.db.pool.query<{ n: string }>(sql, values)).rows[0]!.n);

beforeAll(async () => {
  t = await createTestEngine();
  await t.api.queues.createQueue({ name: "welcome", project: "shop", executor: { kind: "handler", name: "send-welcome" } });
  await t.api.queues.createQueue({ name: "plain" });
  // The program's own table, in the same database.
  await t.db.pool.query("CREATE TABLE app_user (id serial PRIMARY KEY, email text NOT NULL UNIQUE)");
  app = new pg.Client({ connectionString: t.db.url });
  await app.connect();
  // Polling once a minute: a job that runs sooner was woken by the notification its commit sent.
  worker = createWorker(t.engine, {
    workerId: "enqueue-test", pollIntervalMs: 60_000, wakeups: "listen", childEnv: {},
    handlers: {
      "send-welcome": async (job) => {
        ran.push(job.body);
        awaited.get(job.body)?.(job.jobDescriptor);
      },
    },
  });
  await worker.start();
});

afterAll(async () => {
  await worker?.stop();
  await app?.end();
  await t?.close();
});

const ranOnce = (body: string) => new Promise<string>((resolve) => awaited.set(body, resolve));

describe("in the caller's transaction", () => {
  it("commits the program's row and its job together; the worker runs the job after commit", async () => {
    const body = JSON.stringify({ email: "ada@example.com" });
    const done = ranOnce(body);
    await app.query("BEGIN");
    await app.query("INSERT INTO app_user (email) VALUES ($1)", ["ada@example.com"]);
    const [descriptor] = await enqueueInTransaction(app, "welcome", [{ body, priority: 2 }], { actor: "service:signup" });
    expect(descriptor).toMatch(/^welcome:\d+$/);
    const id = descriptor!.split(":")[1];
    // not visible to anyone else before commit: not the job, not its event
    expect(await count("SELECT count(*) AS n FROM queue_job WHERE id = $1", [id])).toBe(0);
    expect(await count("SELECT count(*) AS n FROM event_log WHERE entity_id = $1", [id])).toBe(0);
    await app.query("COMMIT");

    expect(await done).toBe(descriptor);
    expect(await count("SELECT count(*) AS n FROM app_user WHERE email = 'ada@example.com'")).toBe(1);
    const events = await t.db.pool.query(
      "SELECT project, action, to_state, actor FROM event_log WHERE entity_kind = 'queue_job' AND entity_id = $1 ORDER BY id",
      [id],
    );
    expect(events.rows[0]).toEqual({ project: "shop", action: "enqueued", to_state: "PENDING", actor: "service:signup" });
  });

  it("rolls the job back with the program's row: no job, no event, nothing for the worker", async () => {
    const body = JSON.stringify({ email: "bob@example.com" });
    await app.query("BEGIN");
    await app.query("INSERT INTO app_user (email) VALUES ($1)", ["bob@example.com"]);
    const [descriptor] = await enqueueInTransaction(app, "welcome", [{ body }]);
    await app.query("ROLLBACK");
    const id = descriptor!.split(":")[1];
    expect(await count("SELECT count(*) AS n FROM app_user WHERE email = 'bob@example.com'")).toBe(0);
    expect(await count("SELECT count(*) AS n FROM queue_job WHERE id = $1", [id])).toBe(0);
    expect(await count("SELECT count(*) AS n FROM event_log WHERE entity_id = $1", [id])).toBe(0);
    // a later job of the same queue runs; the rolled-back one never does
    const later = JSON.stringify({ email: "carol@example.com" });
    const done = ranOnce(later);
    await enqueueInTransaction(app, "welcome", [{ body: later }]);
    await done;
    expect(ran).not.toContain(body);
  });

  it("a refused enqueue fails the program's transaction: its row goes too", async () => {
    await app.query("BEGIN");
    await app.query("INSERT INTO app_user (email) VALUES ($1)", ["dan@example.com"]);
    const refused = await enqueueInTransaction(app, "welcome", [{ body: "x" }, { body: "y", priority: 9 }]).catch((e) => e);
    await app.query("ROLLBACK");
    expect(refused).toMatchObject({ message: "jobs.1.priority: priority must be 1, 2 or 3", detail: "PRIORITY_NOT_SUPPORTED" });
    expect(await count("SELECT count(*) AS n FROM app_user WHERE email = 'dan@example.com'")).toBe(0);
  });

  it("hears of the jobs at commit, on the workers' channel, and not after a rollback", async () => {
    const listener = new pg.Client({ connectionString: t.db.url });
    await listener.connect();
    const heard: string[] = [];
    let twoHeard!: () => void;
    const two = new Promise<void>((resolve) => (twoHeard = resolve));
    listener.on("notification", (n) => {
      if (heard.push(`${n.channel} ${n.payload}`) === 2) twoHeard();
    });
    await listener.query("LISTEN hourglass_jobs");
    await listener.query("LISTEN hourglass_jobs_due");
    await app.query("BEGIN");
    await enqueueInTransaction(app, "plain", [{ body: "rolled back" }]);
    await app.query("ROLLBACK");
    await app.query("BEGIN");
    await enqueueInTransaction(app, "plain", [{ body: "now" }, { body: "later", runAfterTimestampMillis: 4_102_444_800_000 }]);
    await app.query("COMMIT");
    // a rolled-back transaction's notification, had there been one, would have come first
    await two;
    await listener.end();
    expect(heard).toEqual(["hourglass_jobs plain", "hourglass_jobs_due 4102444800000:plain"]);
  });
});

describe("the checks", () => {
  const refusal = (queue: string, jobs: unknown, actor?: string) =>
    enqueueInTransaction(app, queue, jobs as never, actor ? { actor } : {})
      .then(() => null, (e) => ({ message: e.message, code: e.detail }));

  it("refuses what the API refuses, with its error codes", async () => {
    expect(await refusal("nope", [{ body: "x" }])).toEqual({ message: 'queue "nope" does not exist', code: "QUEUE_NOT_FOUND" });
    expect(await refusal("hourglass_chains", [{ body: "x" }])).toMatchObject({ code: "QUEUE_RESERVED" });
    expect(await refusal("plain", [])).toEqual({ message: "jobs: jobs is empty", code: "INVALID_ARGUMENT" });
    expect(await refusal("plain", [{ body: "x", numAttemptsAllowed: 0 }]))
      .toEqual({ message: "jobs.0.numAttemptsAllowed: an integer from 1 to 1000", code: "INVALID_ARGUMENT" });
    expect(await refusal("plain", [{ body: 7 }])).toEqual({ message: "jobs.0.body: expected a string", code: "INVALID_ARGUMENT" });
    expect(await refusal("plain", [{ body: "x".repeat(1_000_001) }]))
      .toEqual({ message: "jobs.0.body: a job body is at most 1000000 characters", code: "INVALID_ARGUMENT" });
    expect(await refusal("plain", [{ body: "x", runAfterTimestampMillis: -1 }])).toMatchObject({ code: "INVALID_ARGUMENT" });
    expect(await refusal("plain", [{ body: "x", customStatus: "s".repeat(4001) }])).toMatchObject({ code: "INVALID_ARGUMENT" });
    expect(await refusal("plain", [{ body: "x", extra: 1 }])).toMatchObject({ code: "INVALID_ARGUMENT" });
    expect(await refusal("plain", [{ body: "x" }], "nobody")).toMatchObject({ code: "INVALID_ARGUMENT" });
    expect(await refusal("plain", Array.from({ length: 10_001 }, () => ({ body: "x" }))))
      .toEqual({ message: "jobs: at most 10000 jobs per call", code: "INVALID_ARGUMENT" });
  });

  it("writes exactly what the API's enqueueJobs writes", async () => {
    const jobs = [
      { body: "a" },
      { body: "b", priority: 3, numAttemptsAllowed: 5, customStatus: "hello", runAfterTimestampMillis: 4_102_444_800_000 },
    ];
    const viaApi = await t.mutate("queues.enqueueJobs", { queueName: "plain", jobs });
    const viaSql = await enqueueInTransaction(app, "plain", jobs, { actor: "user:tester" });
    const rows = async (descriptors: string[]) => {
      const ids = descriptors.map((d) => d.split(":")[1]);
      const job = await t.db.pool.query(
        `SELECT queue_name, state, priority, body, run_after > now() + interval '1 year' AS later, attempts_allowed,
                attempts_remaining, custom_status, claim_count, claim_descriptor, claimed_at, expires_at, finished_at,
                created_at = updated_at AS fresh
           FROM queue_job WHERE id = ANY($1::bigint[]) ORDER BY id`, [ids]);
      const events = await t.db.pool.query(
        `SELECT project, entity_kind, action, from_state, to_state, reason, actor, payload
           FROM event_log WHERE entity_kind = 'queue_job' AND entity_id = ANY($1::text[]) ORDER BY id`, [ids]);
      return { jobs: job.rows, events: events.rows };
    };
    expect(viaApi.status).toBe(200);
    expect(await rows(viaSql)).toEqual(await rows(viaApi.data.jobDescriptors));
  });
});
