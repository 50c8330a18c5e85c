// The event log on real PostgreSQL: queue transitions write exactly one event
// each (none when the guard fails or the transaction rolls back), readers that
// follow the log never skip a transaction that commits late, histories page
// past 20 entries, and retention deletes only what is old enough.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testServerUrl } from "@hourglass/db/testing";
import { withTransaction } from "../src/transaction.ts";
import { appendEvents } from "../src/events/sql/appendEvents.ts";
import { createTestEngine, ManualClock, type TestEngine } from "../src/testing.ts";
import { EventRetention } from "../src/worker/event-retention.ts";
import { until } from "./helpers.ts";

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const DAY = 86_400_000;
let t: TestEngine;
const clock = new ManualClock(T0);

beforeAll(async () => {
  t = await createTestEngine({ clock });
  await t.mutate("queues.createQueue", { name: "ev_q" });
});
afterAll(async () => {
  await t?.close();
});

async function ok(kind: "query" | "mutate", path: string, input?: unknown) {
  const r = await t[kind](path, input);
  if (r.error) throw new Error(`${path} failed: ${JSON.stringify(r.error)}`);
  return r.data;
}

const eventsOf = async (kind: string, id: string) =>
  (await t.engine.events.history(kind as never, id, { limit: 500 })).events.map((e) => `${e.action}:${e.from ?? ""}>${e.to ?? ""}:${e.actor}`);

describe("queue transitions", () => {
  it("write one event each with the caller as actor; a guarded no-op writes none", async () => {
    const { jobDescriptors: [d] } = await ok("mutate", "queues.enqueueJobs", { queueName: "ev_q", jobs: [{ body: "x", numAttemptsAllowed: 2 }] });
    const id = d.split(":").at(-1)!;
    await ok("mutate", "queues.dequeueJobs", { queueName: "ev_q", limit: 1 });
    await ok("mutate", "queues.ackDequeuedJobs", { queueName: "ev_q", jobsFailed: [{ jobDescriptor: d }] });
    // acking again matches nothing (the job is PENDING): no event
    await ok("mutate", "queues.ackDequeuedJobs", { queueName: "ev_q", jobsSucceeded: [{ jobDescriptor: d }] });
    await ok("mutate", "queues.dequeueJobs", { queueName: "ev_q", limit: 1 });
    await ok("mutate", "queues.ackDequeuedJobs", { queueName: "ev_q", jobsSucceeded: [{ jobDescriptor: d }] });
    expect(await eventsOf("queue_job", id)).toEqual([
      "enqueued:>PENDING:user:tester",
      "acked:IN_PROGRESS>PENDING:user:tester",
      "acked:IN_PROGRESS>SUCCEEDED:user:tester",
    ]);
    // claims are compact: one queue event per claim statement, naming its jobs
    const claims = (await t.engine.events.history("queue", "ev_q")).events.filter((e) => e.action === "claimed");
    expect(claims.map((c) => c.payload)).toEqual([{ jobs: [id] }, { jobs: [id] }]);
    const details = await ok("query", "queues.getJobDetails", { jobDescriptor: d });
    expect(details.history.map((h: { note: string }) => h.note)).toEqual([
      "enqueued", "claimed, attempt 1", "acked failed", "claimed, attempt 2", "acked succeeded",
    ]);
  });

  it("write nothing when the transaction that made them rolls back", async () => {
    const before = (await t.db.sql.query(`SELECT count(*)::int AS n FROM event_log`)).rows[0].n;
    await expect(withTransaction(t.db.pool, async (sql) => {
      await appendEvents(sql, [{ at: clock.now(), project: "default", entityKind: "queue", entityId: "ev_q", action: "x", actor: "user:tester" }]);
      throw new Error("rolled back");
    })).rejects.toThrow("rolled back");
    expect((await t.db.sql.query(`SELECT count(*)::int AS n FROM event_log`)).rows[0].n).toBe(before);
  });
});

describe("histories", () => {
  it("are complete and paginated past 20 entries", async () => {
    const { jobDescriptors: [d] } = await ok("mutate", "queues.enqueueJobs", { queueName: "ev_q", jobs: [{ body: "many", numAttemptsAllowed: 100 }] });
    for (let i = 0; i < 15; i++) {
      await ok("mutate", "queues.dequeueJobs", { queueName: "ev_q", limit: 5 });
      await ok("mutate", "queues.ackDequeuedJobs", { queueName: "ev_q", jobsFailed: [{ jobDescriptor: d }] });
    }
    const first = await ok("query", "queues.getJobDetails", { jobDescriptor: d });
    expect(first.historyTotal).toBe(16);
    expect(first.history).toHaveLength(31); // 16 events, 15 of them ending a claim shown before them
    const id = d.split(":").at(-1)!;
    const page1 = await t.engine.events.history("queue_job", id, { limit: 10 });
    const page2 = await t.engine.events.history("queue_job", id, { limit: 10, after: page1.next! });
    expect(page1.events).toHaveLength(10);
    expect(page2.events).toHaveLength(6);
    expect(page2.next).toBeNull();
    expect(new Set([...page1.events, ...page2.events].map((e) => e.id)).size).toBe(16);
  });
});

describe("following the log", () => {
  it("never skips a transaction that took its id first but committed last", async () => {
    const start = await t.engine.events.end();
    const ev = (entityId: string) => ({ at: clock.now(), project: "default", entityKind: "queue" as const, entityId, action: "test", actor: "user:tester" });
    // A takes the smaller id and holds its transaction open; B commits after it
    let releaseA!: () => void;
    const aHolds = new Promise<void>((r) => (releaseA = r));
    let aWrote!: () => void;
    const aHasWritten = new Promise<void>((r) => (aWrote = r));
    const a = withTransaction(t.db.pool, async (sql) => {
      await appendEvents(sql, [ev("late")]);
      aWrote();
      await aHolds;
    });
    await aHasWritten;
    await withTransaction(t.db.pool, (sql) => appendEvents(sql, [ev("early")]));
    // while A runs, a follower sees neither: B's transaction is newer than A's, which is still running
    const during = await t.engine.events.follow(start, 100);
    expect(during.filter((e) => e.action === "test")).toEqual([]);
    releaseA();
    await a;
    // other test files' transactions may still be running in this database's server; they do not count (below)
    const after = (await until(async () => {
      const seen = await t.engine.events.follow(start, 100);
      return seen.some((e) => e.action === "test") ? seen : null;
    }, "both events to be followable"))!;
    expect(after.filter((e) => e.action === "test").map((e) => e.entityId)).toEqual(["late", "early"]);
    // resuming from the last cursor repeats nothing
    expect(await t.engine.events.follow(after.at(-1)!.cursor, 100)).toEqual([]);
  });
});

describe("the follow horizon", () => {
  it("is not held back by a transaction running in another database of the server, only by one in this one", async () => {
    const ev = (entityId: string) => ({ at: clock.now(), project: "default", entityKind: "queue" as const, entityId, action: "horizon", actor: "user:tester" });
    const other = new pg.Client({ connectionString: testServerUrl() }); // the server's own database, not this test's
    await other.connect();
    try {
      await other.query("BEGIN");
      await other.query("SELECT pg_current_xact_id()"); // holds an xid older than the event below
      const start = await t.engine.events.end();
      await appendEvents(t.db.sql, [ev("after-foreign")]);
      const seen = await t.engine.events.follow(start, 100);
      expect(seen.filter((e) => e.action === "horizon").map((e) => e.entityId)).toEqual(["after-foreign"]);
      await other.query("ROLLBACK");
    } finally {
      await other.end();
    }
  });
});

describe("retention", () => {
  it("deletes events older than their project's retention, and only those", async () => {
    await t.db.sql.query(
      `INSERT INTO scheduler_project (id, file_name, revision, loaded_at, event_retention_days) VALUES ('keep90', 'keep90.yaml', 'r', now(), 90)`,
    );
    const old = (days: number, project: string, entityId: string) =>
      ({ at: new Date(T0 - days * DAY), project, entityKind: "queue" as const, entityId, action: "aged", actor: "system:test" });
    await appendEvents(t.db.sql, [old(31, "default", "d31"), old(29, "default", "d29"), old(60, "keep90", "k60"), old(91, "keep90", "k91")]);
    const deleted = await new EventRetention(t.engine, { intervalMs: 60_000 }).passOnce();
    expect(deleted).toBe(2);
    const left = await t.db.sql.query<{ entity_id: string }>(`SELECT entity_id FROM event_log WHERE action = 'aged' ORDER BY entity_id`);
    expect(left.rows.map((r) => r.entity_id)).toEqual(["d29", "k60"]);
  });
});
