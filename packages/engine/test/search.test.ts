// The global search (search.find): ids found exactly (requests, invocations,
// queue jobs by id or descriptor), names by substring (queues, scheduler jobs,
// projects), closest first and bounded per kind; each caller finds only what
// its read scopes reach, and a hidden hit answers exactly like a missing one.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiCaller } from "../src/access/host/caller.ts";
import { HeldScopes } from "../src/access/scopes.ts";
import { createCaller } from "../src/api/root.ts";
import { syncSpecs } from "../src/chains/host/spec-sync.ts";
import { syncCatalog } from "../src/scheduler/host/catalog-sync.ts";
import { createTestEngine, type TestEngine } from "../src/testing.ts";

let t: TestEngine;
const dir = mkdtempSync(join(tmpdir(), "hourglass-search-"));
let requestId = "";
let jobDescriptor = "";
let invocationId = "";

const as = (scopes: string[]) => {
  const caller: ApiCaller = { id: "user:searcher", kind: "user", displayName: "searcher", scopes: new HeldScopes(scopes) };
  return createCaller({ engine: t.engine, caller });
};
const kinds = (hits: { kind: string }[]) => hits.map((h) => h.kind);

beforeAll(async () => {
  t = await createTestEngine();
  writeFileSync(join(dir, "srch.yaml"), "jobs:\n  - id: nightly_report\n    schedule: triggered\n    task: { kind: noop }\n");
  writeFileSync(join(dir, "other.yaml"), "jobs:\n  - id: hidden_report\n    schedule: triggered\n    task: { kind: noop }\n");
  await syncCatalog(t.engine.ctx, dir);
  const specs = join(dir, "specs");
  mkdirSync(specs);
  writeFileSync(join(specs, "srch.yaml"), "project: srch\nsequences:\n  deploy:\n    request: true\n    nodes:\n      a: { category: job, type: noop }\n");
  await syncSpecs(t.engine.ctx, specs, []);
  await t.api.queues.createQueue({ name: "emails", project: "srch" });
  await t.api.queues.createQueue({ name: "emails_bulk", project: "srch" });
  await t.api.queues.createQueue({ name: "secret_emails", project: "other" });
  jobDescriptor = (await t.api.queues.enqueueJobs({ queueName: "emails", jobs: [{ body: "hi" }] })).jobDescriptors[0]!;
  requestId = (await t.api.requests.create({ type: "deploy", args: {} })).id;
  // an invocation as the triage would start one (what starts it is not what is tested here)
  const inv = await t.db.sql.query<{ id: string }>(
    `INSERT INTO scheduler_invocation (job_key, revision, task, triggered_by, started_at)
     VALUES ('srch/nightly_report', 'r1', '{}', 'test', now()) RETURNING id::text AS id`);
  invocationId = inv.rows[0]!.id;
}, 60_000);

afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("search.find", () => {
  it("finds a request by its id, a queue job by descriptor or id, and queues by part of their name, closest first", async () => {
    const byRequest = await t.api.search.find({ q: requestId });
    expect(byRequest.hits).toContainEqual(expect.objectContaining({ kind: "request", id: requestId, type: "deploy", project: "srch" }));
    const byDescriptor = await t.api.search.find({ q: jobDescriptor });
    expect(byDescriptor.hits).toEqual([expect.objectContaining({ kind: "queue_job", jobDescriptor, queueName: "emails", state: "PENDING" })]);
    const byId = await t.api.search.find({ q: jobDescriptor.split(":")[1]!, kinds: ["queue_job"] });
    expect(byId.hits.map((h) => (h.kind === "queue_job" ? h.jobDescriptor : ""))).toEqual([jobDescriptor]);
    const queues = await t.api.search.find({ q: "EMAILS", kinds: ["queue"] });
    expect(queues.hits.map((h) => (h.kind === "queue" ? h.name : ""))).toEqual(["emails", "emails_bulk", "secret_emails"]);
    expect((await t.api.search.find({ q: "emails", kinds: ["queue"], limit: 1 })).hits).toHaveLength(1);
    // LIKE's wildcards are taken literally
    expect((await t.api.search.find({ q: "e%s", kinds: ["queue"] })).hits).toEqual([]);
  });

  it("finds scheduler jobs by key or job name, projects by name, and invocations by id", async () => {
    const jobs = await t.api.search.find({ q: "report", kinds: ["scheduler_job"] });
    expect(jobs.hits.map((h) => (h.kind === "scheduler_job" ? h.job : ""))).toEqual(["other/hidden_report", "srch/nightly_report"]); // equally close: by name
    expect((await t.api.search.find({ q: "srch/nightly", kinds: ["scheduler_job"] })).hits).toHaveLength(1);
    expect((await t.api.search.find({ q: "src", kinds: ["project"] })).hits).toEqual([{ kind: "project", project: "srch" }]);
    const hits = (await t.api.search.find({ q: `#${invocationId}`, kinds: ["invocation"] })).hits;
    expect(hits).toEqual([expect.objectContaining({ kind: "invocation", id: invocationId, job: "srch/nightly_report", state: "STARTING" })]);
  });

  it("a caller without the read scope finds nothing, exactly as if nothing existed", async () => {
    const stranger = as(["queues:read:nowhere/*", "scheduler:read:nowhere/*", "requests:read:nowhere/*"]);
    for (const q of [requestId, jobDescriptor, "emails", "report", "srch", invocationId]) {
      expect((await stranger.search.find({ q })).hits, q).toEqual([]);
    }
    expect(await stranger.search.find({ q: requestId })).toEqual(await stranger.search.find({ q: "zzzznothing" }));
  });

  it("a caller sees each kind by its own read scope", async () => {
    const queueReader = as(["queues:read:srch/*"]);
    expect(kinds((await queueReader.search.find({ q: jobDescriptor })).hits)).toEqual(["queue_job"]);
    expect((await queueReader.search.find({ q: "emails" })).hits.map((h) => (h.kind === "queue" ? h.name : h.kind)))
      .toEqual(["emails", "emails_bulk"]);
    expect((await queueReader.search.find({ q: requestId })).hits).toEqual([]);
    const requestReader = as(["requests:read:srch/deploy"]);
    expect(kinds((await requestReader.search.find({ q: requestId })).hits)).toEqual(["request"]);
    const schedulerReader = as(["scheduler:read:srch/*"]);
    expect((await schedulerReader.search.find({ q: "report" })).hits).toEqual([
      { kind: "scheduler_job", job: "srch/nightly_report", project: "srch" },
    ]);
  });

  it("says what is wrong with a search it cannot run", async () => {
    await expect(t.api.search.find({ q: "   " })).rejects.toThrow(/type something to search for/);
    await expect(t.api.search.find({ q: "x".repeat(201) })).rejects.toThrow(/at most 200/);
    await expect(t.api.search.find({ q: "x", kinds: ["spaceship" as "queue"] })).rejects.toThrow(/not a kind/);
    const r = await t.query("search.find", { q: "x", limit: 21 });
    expect(r.status).toBe(400);
  });
});
