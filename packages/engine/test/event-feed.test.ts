// The live event feed and the streams built on it, on real PostgreSQL: one
// reader fans each batch out to subscribers by filter and by what their
// caller may see; a stream resumed from a cursor gets exactly the events
// after it, then live ones, without a gap or a duplicate; an idle feed (no
// subscribers, or subscribers and nothing happening) issues no query; a
// transaction that commits late is still delivered; polling (the embedded
// database's mode) works too. Then the SSE endpoints over their HTTP handlers.
// Readers of the log wait for every transaction older than an event to end,
// on the whole server: a long transaction of another test's database delays
// them, hence waits of up to 20 s where no latency is being measured.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Sql } from "@hourglass/db";
import { HeldScopes } from "../src/access/scopes.ts";
import { handleChangesRequest, handleEventStreamRequest } from "../src/api/event-stream.ts";
import { createEngine, type Engine } from "../src/engine.ts";
import type { EventFilter } from "../src/events/feed-match.ts";
import { EventSelector } from "../src/events/select.ts";
import { streamEvents, type StreamItem } from "../src/events/stream.ts";
import type { EventInfo } from "../src/events/types.ts";
import { silentLogger } from "../src/logger.ts";
import { createTestEngine, type TestEngine } from "../src/testing.ts";
import { until } from "./helpers.ts";

let t: TestEngine;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestEngine();
  await t.api.queues.createQueue({ name: "fa", project: "p1" });
  await t.api.queues.createQueue({ name: "fb", project: "p1" });
  await t.api.queues.createQueue({ name: "fc", project: "p2" });
  const scopes: Record<string, string[]> = {
    onlyfa: ["queues:read:p1/fa"],
    p1reader: ["assume:project:p1:reader"],
    nobody: [],
  };
  for (const [name, held] of Object.entries(scopes)) {
    await t.engine.access.principals.create({ kind: "user", name, scopes: held, by: "test" });
    const made = await t.engine.access.credentials.createToken(
      { id: "system:test", kind: "system", displayName: "test", scopes: new HeldScopes(["*"]) },
      { principalId: `user:${name}`, name: "feed", scopes: ["*"] },
    );
    tokens[name] = made.token;
  }
}, 60_000);

afterAll(async () => {
  await t?.engine.feed.close();
  await t?.close();
});

/** A stream of `engine`'s log, collected as it arrives; `stop()` ends it. */
function collect(engine: Engine, filters: EventFilter[], scopes: string[], after?: string) {
  const abort = new AbortController();
  const got: EventInfo[] = [];
  const items: StreamItem[] = [];
  const selector = new EventSelector(filters, new HeldScopes(scopes));
  const [tx, id] = after?.split(".") ?? [];
  const stream = streamEvents(engine.feed, engine.events, selector, {
    signal: abort.signal, after: after ? { tx: BigInt(tx!), id: BigInt(id!) } : undefined, batchSize: 50,
  });
  let started!: () => void;
  const ready = new Promise<void>((r) => (started = r));
  const done = (async () => {
    for await (const item of stream) {
      if (items.length === 0) started();
      items.push(item);
      got.push(...item.events);
    }
  })();
  return { got, items, ready, stop: async () => { abort.abort(); await done; } };
}

/**
 * Waits until the log's end (the newest event below every running transaction) has passed every event
 * written so far, so a stream started now without a cursor begins after them.
 */
async function settled(): Promise<void> {
  const last = (await t.db.sql.query<{ tx: string }>(`SELECT tx::text FROM event_log ORDER BY tx DESC, id DESC LIMIT 1`)).rows[0];
  if (last) await until(async () => (await t.engine.events.end()).tx >= BigInt(last.tx), "the log's end to pass what was written");
}

const enqueue = async (queueName: string, n = 1) =>
  (await t.api.queues.enqueueJobs({ queueName, jobs: Array.from({ length: n }, (_, i) => ({ body: `${queueName}-${i}` })) })).jobDescriptors;
const jobIds = (descriptors: string[]) => descriptors.map((d) => d.split(":").at(-1)!);
const ids = (events: EventInfo[]) => events.map((e) => e.entityId);

describe("the feed fans out", () => {
  it("to each subscriber what its filter takes and its caller may see", async () => {
    await settled();
    const all = collect(t.engine, [], ["*"]);
    const faOnly = collect(t.engine, [], ["queues:read:p1/fa"]);
    const p1 = collect(t.engine, [{ projects: ["p1"], entityKinds: ["queue_job"] }], ["queues:read:p1/*"]);
    const fbAsked = collect(t.engine, [{ queue: "fb" }], ["queues:read:p1/fa"]);
    const acked = collect(t.engine, [{ actions: ["acked"], to: ["SUCCEEDED"] }], ["*"]);
    const none = collect(t.engine, [], []);
    await Promise.all([all, faOnly, p1, fbAsked, acked, none].map((s) => s.ready));

    const fa = jobIds(await enqueue("fa", 2));
    const fb = jobIds(await enqueue("fb", 1));
    const fc = jobIds(await enqueue("fc", 3));
    const claimed = await t.api.queues.dequeueJobs({ queueName: "fa", limit: 1 });
    const [first] = Object.keys(claimed.jobs);
    await t.api.queues.ackDequeuedJobs({ queueName: "fa", jobsSucceeded: [{ jobDescriptor: first! }] });

    await until(() => all.got.length >= 8, "the admin's stream to see all 8 events");
    expect(all.got.map((e) => `${e.entityKind}:${e.action}`)).toEqual([
      ...Array(6).fill("queue_job:enqueued"), "queue:claimed", "queue_job:acked",
    ]);
    // the others, once the admin's stream has everything (they are fed from the same reads)
    await until(() => faOnly.got.length >= 4 && p1.got.length >= 4 && acked.got.length >= 1, "the other streams");
    expect(ids(faOnly.got)).toEqual([...fa, "fa", fa[0]]); // the queue it reads, its claim event included
    expect(ids(p1.got)).toEqual([...fa, ...fb, fa[0]]);
    expect(ids(acked.got)).toEqual([fa[0]]);
    expect(fbAsked.got).toEqual([]); // asked for a queue it may not read: absent, as if it did not exist
    expect(none.got).toEqual([]);
    expect(all.got.some((e) => fc.includes(e.entityId))).toBe(true);
    await Promise.all([all, faOnly, p1, fbAsked, acked, none].map((s) => s.stop()));
    expect(t.engine.feed.size).toBe(0);
  });

  it("sees a deleted job's events through the queue it was in", async () => {
    const [d] = await enqueue("fa", 1);
    const s = collect(t.engine, [{ entityKinds: ["queue_job"], actions: ["deleted"] }], ["queues:read:p1/fa"]);
    await s.ready;
    await t.api.queues.deleteJobs({ queueName: "fa", jobState: "PENDING" });
    await until(() => s.got.length > 0, "the deleted event");
    expect(ids(s.got)).toContain(jobIds([d!])[0]);
    await s.stop();
  });
});

describe("a stream resumed from a cursor", () => {
  it("gets exactly the events after it, then live ones, none twice", async () => {
    const before = jobIds(await enqueue("fb", 3));
    const cursorAt = (await t.engine.events.history("queue_job", before[0]!)).events[0]!.cursor;
    const later = jobIds(await enqueue("fb", 120)); // more than a catch-up batch (50 here)
    const s = collect(t.engine, [{ queue: "fb", entityKinds: ["queue_job"] }], ["*"], cursorAt);
    await s.ready;
    const live = jobIds(await enqueue("fb", 2));
    await until(() => s.got.length >= 2 + 120 + 2, "catch-up and live events");
    expect(ids(s.got)).toEqual([...before.slice(1), ...later, ...live]);
    await s.stop();
  });

  it("without a cursor, starts at the end: only what comes next", async () => {
    await enqueue("fb", 2);
    await settled(); // the end is the newest event below every transaction still running, on the whole server
    const s = collect(t.engine, [{ queue: "fb" }], ["*"]);
    await s.ready;
    const next = jobIds(await enqueue("fb", 1));
    await until(() => s.got.length >= 1, "the next event");
    expect(ids(s.got)).toEqual(next);
    await s.stop();
  });
});

/** An engine on `t`'s database whose hand-written SQL is counted (the feed issues nothing else). */
function countedEngine(wakeups: "listen" | "poll"): { engine: Engine; queries: () => number; texts: string[] } {
  const texts: string[] = [];
  const sql: Sql = { query: (text, values, name) => (texts.push(text), t.db.sql.query(text, values, name)) };
  const db: Database = { ...t.db, sql };
  const engine = createEngine({ db, logger: silentLogger, eventWakeups: wakeups });
  return { engine, queries: () => texts.length, texts };
}

const quietFor = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("an idle feed", () => {
  it("issues no query without subscribers, nor with subscribers while nothing happens", async () => {
    const { engine, queries } = countedEngine("listen");
    await enqueue("fa", 3); // events nobody here follows
    await quietFor(600);
    expect(queries()).toBe(0);

    const s = collect(engine, [{ queue: "fa" }], ["*"]);
    await s.ready;
    await quietFor(300); // the feed's first read and the stream's catch-up finish
    const settled = queries();
    await quietFor(1_000); // four poll intervals of the embedded mode, two of the old dashboard's
    expect(queries()).toBe(settled);

    const [d] = jobIds(await enqueue("fa", 1));
    await until(() => s.got.length === 1, "the event");
    expect(ids(s.got)).toEqual([d]);
    await s.stop();
    const after = queries();
    await enqueue("fa", 2);
    await quietFor(600);
    expect(queries()).toBe(after);
    await engine.feed.close();
  });
});

describe("a transaction that commits late", () => {
  it("is delivered within 500 ms of the older transaction ending, though that one writes no event", async () => {
    const s = collect(t.engine, [{ queue: "fc" }], ["*"]);
    await s.ready;
    const older = new pg.Client({ connectionString: t.db.url });
    await older.connect();
    try {
      await older.query("BEGIN");
      await older.query("SELECT pg_current_xact_id()"); // holds the snapshot's xmin below every later transaction
      const [d] = jobIds(await enqueue("fc", 1));
      await quietFor(300);
      expect(s.got).toEqual([]); // held behind the older transaction: follow reads only below it
      const ended = Date.now();
      await older.query("COMMIT");
      await until(() => s.got.length === 1, "the held event", 2_000, 5);
      expect(Date.now() - ended).toBeLessThan(500);
      expect(ids(s.got)).toEqual([d]);
    } finally {
      await older.end();
      await s.stop();
    }
  });
});

describe("polling (the embedded database's mode)", () => {
  it("delivers while anyone subscribes and reads nothing once nobody does", async () => {
    const { engine, queries } = countedEngine("poll");
    const s = collect(engine, [{ queue: "fb" }], ["*"]);
    await s.ready;
    const started = Date.now();
    const [d] = jobIds(await enqueue("fb", 1));
    await until(() => s.got.length === 1, "the polled event", 5_000, 5);
    expect(Date.now() - started).toBeLessThan(500);
    expect(ids(s.got)).toEqual([d]);
    await s.stop();
    await quietFor(300); // a poll in flight finishes
    const after = queries();
    await quietFor(600);
    expect(queries()).toBe(after);
    await engine.feed.close();
  });
});

/** Reads SSE messages from a response until `enough` says so. */
async function readSse(res: Response, enough: (msgs: Record<string, string>[]) => boolean, timeoutMs = 20_000) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const msgs: Record<string, string>[] = [];
  let buf = "";
  const deadline = Date.now() + timeoutMs;
  while (!enough(msgs)) {
    if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(msgs)}`);
    const { value, done } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      const msg: Record<string, string> = {};
      for (const line of block.split("\n")) {
        const colon = line.indexOf(":");
        const field = colon === 0 ? "comment" : line.slice(0, colon);
        msg[field] = (msg[field] ? `${msg[field]}\n` : "") + line.slice(colon + 1).trimStart();
      }
      msgs.push(msg);
    }
  }
  await reader.cancel();
  return msgs;
}

type ErrorBody = { error: { message: string; data: { errorCode: string } } };

const get = (path: string, token: string | null, headers: Record<string, string> = {}) =>
  new Request(`http://127.0.0.1${path}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });

describe("GET /api/events", () => {
  it("answers 401 without credentials and 400 naming a bad parameter", async () => {
    expect((await handleEventStreamRequest(get("/api/events", null), t.engine)).status).toBe(401);
    const bad = await handleEventStreamRequest(get("/api/events?entityKind=queue_jobs&project=a%20b&frobnicate=1", t.token), t.engine);
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as ErrorBody;
    expect(body.error.data.errorCode).toBe("INVALID_ARGUMENT");
    expect(body.error.message).toMatch(/frobnicate: unknown parameter/);
    expect(body.error.message).toMatch(/entityKind\.0: not an entity kind/);
    expect(body.error.message).toMatch(/project\.0: not a project name/);
    const cursor = await handleEventStreamRequest(get("/api/events", t.token, { "last-event-id": "yesterday" }), t.engine);
    expect(((await cursor.json()) as ErrorBody).error.message).toMatch(/Last-Event-ID: not a cursor/);
  });

  it("streams what the caller may see, each event with its cursor as the id, and resumes from Last-Event-ID", async () => {
    const res = await handleEventStreamRequest(get("/api/events?project=p1&entityKind=queue_job", tokens.onlyfa!), t.engine);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reading = readSse(res, (m) => m.filter((x) => x.data).length >= 2);
    await until(() => t.engine.feed.size > 0, "the stream to subscribe");
    const fb = jobIds(await enqueue("fb", 1));
    const fa = jobIds(await enqueue("fa", 2));
    const msgs = await reading;
    expect(msgs[0]).toMatchObject({ retry: "1000" }); // and the start position as its id
    const events = msgs.filter((m) => m.data).map((m) => ({ id: m.id, e: JSON.parse(m.data!) as EventInfo }));
    expect(events.map((x) => x.e.entityId)).toEqual(fa); // fb's job is in a queue this token may not read
    expect(events.every((x) => x.id === x.e.cursor)).toBe(true);
    expect(fb).toHaveLength(1);

    const resumed = await handleEventStreamRequest(get("/api/events?entityKind=queue_job", tokens.onlyfa!, { "last-event-id": events[0]!.id! }), t.engine);
    const again = await readSse(resumed, (m) => m.filter((x) => x.data).length >= 1);
    expect(again.filter((m) => m.data).map((m) => JSON.parse(m.data!).entityId)).toEqual([fa[1]]);
  });
});

describe("a long-lived stream", () => {
  it("sends a heartbeat with its position while nothing it takes happens", async () => {
    const res = await handleEventStreamRequest(get("/api/events?entityKind=request", tokens.onlyfa!), t.engine, { heartbeatMs: 100 });
    const reading = readSse(res, (m) => m.filter((x) => x.comment === "heartbeat").length >= 3);
    await until(() => t.engine.feed.size > 0, "the stream to subscribe");
    const msgs = await reading;
    expect(msgs.filter((m) => m.data)).toEqual([]);
    expect(msgs.filter((m) => m.comment === "heartbeat").length).toBeGreaterThanOrEqual(3);
  });

  it("ends when its token is revoked, and sees less when its scopes shrink", async () => {
    const admin = { id: "system:test", kind: "system" as const, displayName: "test", scopes: new HeldScopes(["*"]) };
    const made = await t.engine.access.credentials.createToken(admin, { principalId: "user:p1reader", name: "doomed", scopes: ["*"] });
    const res = await handleEventStreamRequest(get("/api/events?entityKind=queue_job", made.token), t.engine, { reauthenticateMs: 0 });
    const reading = readSse(res, (m) => m.some((x) => x.event === "unauthenticated"));
    await until(() => t.engine.feed.size > 0, "the stream to subscribe");
    await t.engine.access.credentials.revokeToken(made.clientId, "test");
    await enqueue("fa", 1);
    const msgs = await reading;
    expect(msgs.filter((m) => m.data && m.event === undefined)).toEqual([]); // the event after the revocation is not sent
    expect(JSON.parse(msgs.find((m) => m.event === "unauthenticated")!.data!).errorCode).toBe("UNAUTHENTICATED");
  });
});

describe("GET /api/events/changes", () => {
  it("tells a page which of its topics changed", async () => {
    const topics = encodeURIComponent(JSON.stringify([{ queue: "fa" }, { queue: "fb" }, { entityKinds: ["request"] }]));
    const res = await handleChangesRequest(get(`/api/events/changes?topics=${topics}`, tokens.p1reader!), t.engine);
    expect(res.status).toBe(200);
    const reading = readSse(res, (m) => m.some((x) => x.event === "change"));
    await until(() => t.engine.feed.size > 0, "the stream to subscribe");
    await enqueue("fb", 2);
    const change = (await reading).find((m) => m.event === "change")!;
    expect(JSON.parse(change.data!)).toEqual({ topics: [1] });
    expect(change.id).toMatch(/^\d+\.\d+$/);
    const bad = await handleChangesRequest(get(`/api/events/changes?topics=${encodeURIComponent("[{\"queues\":1}]")}`, t.token), t.engine);
    expect(((await bad.json()) as ErrorBody).error.message).toMatch(/topics\.0/);
  });
});
