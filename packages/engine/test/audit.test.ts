// The audit log: audit.search filters the event log newest first and pages
// with `before`; a caller sees only the events it may read (a reader of
// project A none of B's, nobody but access administrators the access
// events), the rest absent, never an error; the export streams every match
// as JSON lines or CSV (quoted, defused), authenticated like the API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvField, csvRow } from "../src/audit/export.ts";
import { parseExportParams } from "../src/audit/schemas.ts";
import type { AuditEvent } from "../src/audit/search.ts";
import { visibleProjects } from "../src/audit/visible-projects.ts";
import { HeldScopes } from "../src/access/scopes.ts";
import { handleAuditExportRequest } from "../src/api/audit-export.ts";
import { createTestEngine, ManualClock, testCaller, type TestEngine } from "../src/testing.ts";

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const clock = new ManualClock(T0);
let t: TestEngine;
const tokens: Record<"readerA" | "ownerB" | "admin" | "queueOnly", string> = { readerA: "", ownerB: "", admin: "", queueOnly: "" };
let jobA = "";

async function ok(kind: "query" | "mutate", path: string, input?: unknown, token?: string) {
  const r = await t[kind](path, input, token);
  if (r.error) throw new Error(`${path} failed: ${JSON.stringify(r.error)}`);
  return r.data;
}

const search = (input: Record<string, unknown>, token?: string) => ok("query", "audit.search", input, token);
const keys = (page: { events: AuditEvent[] }) => page.events.map((e) => `${e.project}:${e.entityKind}:${e.entityId}:${e.action}`);

beforeAll(async () => {
  t = await createTestEngine({ clock });
  const admin = testCaller("test");
  const people = {
    readerA: ["assume:project:pa:reader"], ownerB: ["assume:project:pb:owner"], admin: ["assume:admin"], queueOnly: ["queues:read:pa/aud_a1"],
  } as const;
  for (const [name, scopes] of Object.entries(people)) {
    await t.engine.access.principals.create({ kind: "user", name: name.toLowerCase(), scopes: [...scopes], by: "test" });
    tokens[name as keyof typeof tokens] = (await t.engine.access.credentials.createToken(admin, {
      principalId: `user:${name.toLowerCase()}`, name: "audit", scopes: ["*"],
    })).token;
  }
  clock.advance(60_000);
  await ok("mutate", "queues.createQueue", { name: "aud_a1", project: "pa" });
  await ok("mutate", "queues.createQueue", { name: "aud_a2", project: "pa" });
  clock.advance(60_000);
  await ok("mutate", "queues.createQueue", { name: "aud_b1", project: "pb" }, tokens.ownerB);
  await ok("mutate", "queues.pauseQueue", { name: "aud_b1", reason: "b's maintenance" }, tokens.ownerB);
  clock.advance(60_000);
  jobA = (await ok("mutate", "queues.enqueueJobs", { queueName: "aud_a1", jobs: [{ body: "x" }] })).jobDescriptors[0];
  await ok("mutate", "queues.pauseQueue", { name: "aud_a1", reason: "a, \"quoted\"\nand =SUM(1)" });
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe("audit.search", () => {
  it("shows a reader of project A its events and none of B's, nor access events", async () => {
    const page = await search({ limit: 500 }, tokens.readerA);
    expect(new Set(page.events.map((e: AuditEvent) => e.project))).toEqual(new Set(["pa"]));
    expect(keys(page)).toEqual([
      "pa:queue:aud_a1:paused", `pa:queue_job:${jobA.split(":")[1]}:enqueued`, "pa:queue:aud_a2:created", "pa:queue:aud_a1:created",
    ]);
    // asking for B's events, or for access events, is not an error: there are none to see
    expect((await search({ project: "pb" }, tokens.readerA)).events).toEqual([]);
    expect((await search({ project: "hourglass" }, tokens.readerA)).events).toEqual([]);
    expect((await search({ entityKind: "principal" }, tokens.readerA)).events).toEqual([]);
  });

  it("shows a caller who reads one queue only that queue's events", async () => {
    expect(keys(await search({}, tokens.queueOnly))).toEqual([
      "pa:queue:aud_a1:paused", `pa:queue_job:${jobA.split(":")[1]}:enqueued`, "pa:queue:aud_a1:created",
    ]);
  });

  it("shows access events only to access administrators", async () => {
    const admin = await search({ project: "hourglass", entityKind: "token", limit: 500 }, tokens.admin);
    expect(admin.events.length).toBeGreaterThanOrEqual(5);
    expect(admin.events.every((e: AuditEvent) => e.project === "hourglass" && e.action === "created")).toBe(true);
    const owner = await search({ limit: 500 }, tokens.ownerB);
    expect(new Set(owner.events.map((e: AuditEvent) => e.project))).toEqual(new Set(["pb"]));
  });

  it("filters by actor, entity, action, time range and operator-only", async () => {
    expect(keys(await search({ actor: "user:ownerb" }, tokens.admin))).toEqual(["pb:queue:aud_b1:paused", "pb:queue:aud_b1:created"]);
    expect(keys(await search({ entityKind: "queue", entityId: "aud_a1" }, tokens.admin))).toEqual(["pa:queue:aud_a1:paused", "pa:queue:aud_a1:created"]);
    expect(keys(await search({ action: "paused" }, tokens.admin))).toEqual(["pa:queue:aud_a1:paused", "pb:queue:aud_b1:paused"]);
    const second = await search({ since: T0 + 120_000, until: T0 + 180_000 }, tokens.admin);
    expect(keys(second)).toEqual(["pb:queue:aud_b1:paused", "pb:queue:aud_b1:created"]);
    const [paused] = (await search({ action: "paused", project: "pb" }, tokens.admin)).events;
    expect([paused.actor, paused.reason, paused.from, paused.to]).toEqual(["user:ownerb", "b's maintenance", "ACTIVE", "PAUSED"]);
    // a worker's transition is not an operator's action
    await t.db.sql.query(`INSERT INTO event_log (at, project, entity_kind, entity_id, action, actor) VALUES ($1, 'pa', 'queue', 'aud_a1', 'collected', 'worker:w1')`, [clock.now()]);
    expect(keys(await search({ project: "pa", limit: 1 }, tokens.admin))).toEqual(["pa:queue:aud_a1:collected"]);
    expect(keys(await search({ project: "pa", limit: 1, operatorOnly: true }, tokens.admin))).toEqual(["pa:queue:aud_a1:paused"]);
  });

  it("pages newest first with before / next, without gaps or repeats, and says when there are no more", async () => {
    const all = await search({ project: "pa", limit: 500 }, tokens.readerA);
    const seen: string[] = [];
    let before: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await search({ project: "pa", limit: 2, ...(before && { before }) }, tokens.readerA);
      seen.push(...page.events.map((e: AuditEvent) => e.id));
      if (page.next === null) break;
      before = page.next;
    }
    expect(seen).toEqual(all.events.map((e: AuditEvent) => e.id));
    expect(all.next).toBeNull();
  });

  it("names what each event's entity belongs to, for the link to its page", async () => {
    const [enqueued] = (await search({ entityKind: "queue_job" }, tokens.readerA)).events;
    expect(enqueued.refs).toEqual({ queue: "aud_a1", job: null, request: null });
  });

  it("rejects bad filters with a message naming the field", async () => {
    const r = await t.query("audit.search", { entityKind: "planet", since: 5, until: 1, limit: 501 });
    expect(r.status).toBe(400);
    expect(r.error.message).toMatch(/entityKind: not an entity kind/);
    expect(r.error.message).toMatch(/limit: limit is at most 500/);
    expect((await t.query("audit.search", {}, null)).status).toBe(401);
  });
});

describe("the projects a search reads", () => {
  it("are those read scopes name; a star over projects or access:manage reads them all", () => {
    const of = (...s: string[]) => visibleProjects(new HeldScopes(s));
    expect(of("queues:read:pa/*", "scheduler:read:pb/nightly", "requests:start:pc/*", "queues:read:x")).toEqual(["pa", "pb"]);
    expect(of("queues:read:de*")).toBeNull();
    expect(of("queues:*")).toBeNull();
    expect(of("*")).toBeNull();
    expect(of("access:manage")).toBeNull();
    expect(of("queues:read:pa/em*")).toEqual(["pa"]);
    expect(of()).toEqual([]);
  });
});

describe("the export", () => {
  const get = (query: string, token: string | null = tokens.admin, headers: Record<string, string> = {}) =>
    handleAuditExportRequest(new Request(`http://127.0.0.1/api/audit/export?${query}`, {
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    }), t.engine, { pageSize: 2 });

  it("streams every matching event the caller may see as JSON lines, across pages", async () => {
    const res = await get("format=jsonl&project=pa", tokens.readerA);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="hourglass-audit-.*\.jsonl"$/);
    const lines = (await res.text()).trimEnd().split("\n").map((l) => JSON.parse(l));
    const expected = await search({ project: "pa", limit: 500 }, tokens.readerA);
    expect(lines.map((e) => e.id)).toEqual(expected.events.map((e: AuditEvent) => e.id));
    expect(lines[0]).not.toHaveProperty("refs");
    // B's events stay absent from a reader of A's export
    expect(await (await get("format=jsonl&project=pb", tokens.readerA)).text()).toBe("");
  });

  it("writes CSV with a header, CRLF rows, quoted fields and defused formulas", async () => {
    const res = await get("format=csv&action=paused&project=pa&operatorOnly=true");
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    const text = await res.text();
    expect(text.startsWith("id,cursor,at,project,entityKind,entityId,action,from,to,reason,actor,payload\r\n")).toBe(true);
    const row = text.split("\r\n")[1]!;
    expect(row).toContain(`,pa,queue,aud_a1,paused,ACTIVE,PAUSED,"a, ""quoted""\nand =SUM(1)",user:tester,"{""rateLimitBeforePause"":null}"`);
    expect(text.endsWith("\r\n")).toBe(true);
  });

  it("answers 401 without credentials and 400 for bad parameters, naming them", async () => {
    expect((await get("format=csv", null)).status).toBe(401);
    const bad = await get("format=xml&since=soon&color=red");
    expect(bad.status).toBe(400);
    const { error } = (await bad.json()) as { error: { message: string } };
    expect(error.message).toMatch(/color: unknown parameter/);
    expect(error.message).toMatch(/format: one of jsonl, csv/);
    expect(error.message).toMatch(/since: /);
    expect((await get("format=csv", tokens.admin, { "sec-fetch-site": "cross-site" })).status).toBe(403);
  });
});

describe("CSV fields", () => {
  it("are quoted when they hold a comma, quote or line break, and defused when a spreadsheet would run them", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("=HYPERLINK(\"x\")")).toBe("\"'=HYPERLINK(\"\"x\"\")\"");
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("@cmd")).toBe("'@cmd");
    expect(csvField("")).toBe("");
    const row = csvRow({
      id: "7", cursor: "9.7", atTimestampMillis: T0, project: "p", entityKind: "queue", entityId: "q", action: "updated",
      from: null, to: null, reason: "", actor: "user:a", payload: { changes: { x: { from: 1, to: 2 } } }, refs: { queue: null, job: null, request: null },
    });
    expect(row).toBe(`7,9.7,2026-06-01T12:00:00.000Z,p,queue,q,updated,,,,user:a,"{""changes"":{""x"":{""from"":1,""to"":2}}}"\r\n`);
  });

  it("export parameters parse booleans and times from the query string", () => {
    const r = parseExportParams(new URLSearchParams("format=csv&since=1000&until=2000&operatorOnly=1&actor=user:a"));
    expect(r).toEqual({ ok: true, format: "csv", filter: { since: 1000, until: 2000, operatorOnly: true, actor: "user:a" } });
    expect(parseExportParams(new URLSearchParams("")).ok).toBe(true);
  });
});

describe("a caller who may see little of what it reads", () => {
  it("gets a short page and `next` after a bounded read, and what it may see on the pages after", async () => {
    await t.db.sql.query(
      `INSERT INTO event_log (at, project, entity_kind, entity_id, action, actor)
       SELECT $1, 'pa', 'queue', 'aud_a2', 'updated', 'user:tester' FROM generate_series(1, 6000)`, [clock.now()]);
    const first = await search({ limit: 10 }, tokens.queueOnly);
    expect(first.events).toEqual([]);
    expect(first.next).not.toBeNull();
    const second = await search({ limit: 10, before: first.next }, tokens.queueOnly);
    expect(keys(second)).toEqual(["pa:queue:aud_a1:collected", "pa:queue:aud_a1:paused", `pa:queue_job:${jobA.split(":")[1]}:enqueued`, "pa:queue:aud_a1:created"]);
    expect(second.next).toBeNull();
  });
});
