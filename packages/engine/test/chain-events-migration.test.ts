// The migration that rebuilds the histories of requests and chain jobs kept
// before the event log (prisma/migrations/20261202020000_chain_events), run
// again on rows written the old way (no events).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEngine, type TestEngine } from "../src/testing.ts";

const MIGRATION = join(import.meta.dirname, "..", "..", "..", "prisma", "migrations", "20261202020000_chain_events",
  "migration.sql");
const at = (m: number) => new Date(Date.UTC(2026, 10, 1, 12, m));
let t: TestEngine;

beforeAll(async () => {
  t = await createTestEngine();
  const q = (text: string, values: unknown[] = []) => t.db.sql.query(text, values);
  const request = (id: string, state: string, o: { started?: number; finished?: number; suspended?: number } = {}) => q(
    `INSERT INTO request (id, type, project, state, "user", args, created_at, started_at, finished_at, suspended_at,
                          suspend_reason, total_jobs, spec_revision)
     VALUES ($1, 'deploy', 'demo', $2::text::"RequestState", 'user:alice', '{}', $3, $4, $5, $6, $7, 1, 'r1')`,
    [id, state, at(0), o.started === undefined ? null : at(o.started), o.finished === undefined ? null : at(o.finished),
      o.suspended === undefined ? null : at(o.suspended), o.suspended === undefined ? null : "operator"]);
  await request("done", "COMPLETE", { started: 1, finished: 9 });
  await request("paused", "SUSPENDED", { started: 1, suspended: 5 });
  await request("never", "STOPPED", { finished: 2 });
  const tryRow = (job: string, n: number, state: string, start: number, end: number | null, error: string | null = null) =>
    q(`INSERT INTO chain_job_log (request_id, job_id, name, type, try, state, started_at, finished_at, error)
       VALUES ('done', $1, $1, 'shell', $2, $3, $4, $5, $6)`,
      [job, n, state, at(start), end === null ? null : at(end), error]);
  await tryRow("j1", 1, "FAIL", 1, 2);
  await tryRow("j1", 2, "FAIL", 3, 4, "try lost: its worker stopped without finishing it");
  await tryRow("j1", 3, "COMPLETE", 5, 6);
  await tryRow("j2", 1, "STOPPED", 6, 7);
  await tryRow("j2", 2, "COMPLETE", 7, 8);
  await q(readFileSync(MIGRATION, "utf8"));
});

afterAll(async () => {
  await t?.close();
});

async function events(kind: string, id: string) {
  type Row = { action: string; from_state: string | null; to_state: string; actor: string; at: Date; payload: object };
  const r = await t.db.sql.query<Row>(
    `SELECT action, from_state, to_state, actor, at, payload FROM event_log
      WHERE entity_kind = $1 AND entity_id = $2 ORDER BY id`, [kind, id]);
  return r.rows.map((e) => [e.action, e.from_state, e.to_state, e.actor, e.at.getTime(), e.payload]);
}

describe("the chain history migration", () => {
  it("rebuilds each request's history from its timestamps, naming what it cannot know", async () => {
    const m = { migrated: true };
    expect(await events("request", "done")).toEqual([
      ["created", null, "PENDING", "user:alice", at(0).getTime(), m],
      ["started", "PENDING", "RUNNING", "system:migration", at(1).getTime(), m],
      ["completed", "RUNNING", "COMPLETE", "system:migration", at(9).getTime(), m],
    ]);
    expect((await events("request", "paused")).map((e) => e.slice(0, 3))).toEqual([
      ["created", null, "PENDING"], ["started", "PENDING", "RUNNING"], ["suspended", "RUNNING", "SUSPENDED"],
    ]);
    expect((await events("request", "never")).map((e) => e.slice(0, 3))).toEqual([
      ["created", null, "PENDING"], ["stopped", "PENDING", "STOPPED"],
    ]);
    expect((await t.api.requests.history({ id: "done" })).total).toBe(3);
  });

  it("rebuilds each chain job's tries from the job log: retried, lost, interrupted, completed", async () => {
    const j1 = await events("chain_job", "done/j1");
    expect(j1.map((e) => [e[0], e[1], e[2], (e[5] as { try: number }).try])).toEqual([
      ["began", "PENDING", "RUNNING", 1],
      ["try-failed", "RUNNING", "PENDING", 1],
      ["began", "PENDING", "RUNNING", 2],
      ["began", "RUNNING", "RUNNING", 3],
      ["completed", "RUNNING", "COMPLETE", 3],
    ]);
    expect((await events("chain_job", "done/j2")).map((e) => e.slice(0, 3))).toEqual([
      ["began", "PENDING", "RUNNING"], ["interrupted", "RUNNING", "PENDING"],
      ["began", "PENDING", "RUNNING"], ["completed", "RUNNING", "COMPLETE"],
    ]);
    const project = await t.db.sql.query<{ project: string }>(
      `SELECT DISTINCT project FROM event_log WHERE entity_kind = 'chain_job'`);
    expect(project.rows).toEqual([{ project: "demo" }]);
  });
});
