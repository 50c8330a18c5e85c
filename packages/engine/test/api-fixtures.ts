// Something behind every API procedure, for tests that send bad input over
// HTTP: a queue with jobs in each state, a scheduler job, the request specs
// of config/specs and a request. Plus raw HTTP calls and a fingerprint of
// the whole database, to show that a rejected call wrote nothing.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { handleApiRequest, type ApiOptions } from "../src/api/index.ts";
import { syncSpecs } from "../src/chains/host/spec-sync.ts";
import { syncCatalog } from "../src/scheduler/host/catalog-sync.ts";
import { createTestEngine, ManualClock, type TestEngine } from "../src/testing.ts";

export const QUEUE = "fuzz_q";
export const JOB = "fuzz/target";
const SPECS_DIR = join(import.meta.dirname, "..", "..", "..", "config", "specs");

export interface ApiFixture {
  t: TestEngine;
  /** Descriptors of jobs of QUEUE: PENDING, IN_PROGRESS (claimed), FAILED. */
  descriptors: string[];
  /** A continuation scanJobs returned for QUEUE. */
  continuation: string;
  requestId: string;
  close(): Promise<void>;
}

export async function createApiFixture(): Promise<ApiFixture> {
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 12, 0, 0));
  const t = await createTestEngine({ clock });
  // claimWork answers at once instead of long-polling 20 s for work that a fuzzed call will never get
  t.engine.tasks.options.claimWaitMs = 0;
  const projects = mkdtempSync(join(tmpdir(), "hourglass-api-projects-"));
  writeFileSync(join(projects, "fuzz.yaml"), "jobs:\n  - id: target\n    task: { kind: noop }\n");
  await syncCatalog(t.engine.ctx, projects);
  await syncSpecs(t.engine.ctx, SPECS_DIR, []);
  // as a started worker has: start and resume would create it, before they look for the request
  await t.engine.requests.ensureQueue();

  await t.api.queues.createQueue({ name: QUEUE });
  const bodies = ["a", "b", "c", "d", "e"].map((body) => ({ body }));
  const { jobDescriptors } = await t.api.queues.enqueueJobs({ queueName: QUEUE, jobs: bodies });
  const claimed = Object.keys((await t.api.queues.dequeueJobs({ queueName: QUEUE, limit: 2 })).jobs);
  await t.api.queues.ackDequeuedJobs({ queueName: QUEUE, jobsFailed: [{ jobDescriptor: claimed[0]! }] });
  const scan = await t.api.queues.scanJobs({ queueName: QUEUE, jobState: "PENDING", limit: 1 });
  const request = await t.api.requests.create({ type: "deploy-app", args: { app: "demo" } });
  return {
    t,
    descriptors: [...jobDescriptors],
    continuation: scan.continuation,
    requestId: request.id,
    close: async () => {
      rmSync(projects, { recursive: true, force: true });
      await t.close();
    },
  };
}

export interface RawResult {
  status: number;
  /** The parsed JSON body (tRPC's envelope: `result` or `error`). */
  json: any;
}

export type Via = "GET" | "POST";

/**
 * Calls `path` over HTTP with `inputJson` as the raw input text (so a test can
 * send what JSON.stringify would not write): a GET with ?input=, or a POST
 * with the text as body (for a query, tRPC's method override).
 */
export async function callRaw(
  t: TestEngine, path: string, via: Via, inputJson?: string, options?: ApiOptions,
): Promise<RawResult> {
  const url = `http://127.0.0.1/api/trpc/${path}`;
  const authorization = `Bearer ${t.token}`;
  const req = via === "GET"
    ? new Request(inputJson === undefined ? url : `${url}?input=${encodeURIComponent(inputJson)}`, { headers: { authorization } })
    : new Request(url, { method: "POST", body: inputJson ?? "null", headers: { "content-type": "application/json", authorization } });
  const res = await handleApiRequest(req, t.engine, options);
  return { status: res.status, json: await res.json() };
}

/**
 * A digest of every table's rows (order-free). Sequences are left out on
 * purpose: a rolled-back insert still advances one, and writes nothing; so
 * are credentials' last-used stamps (api_token, session), bookkeeping of the
 * call itself rather than data it changed.
 */
export async function databaseFingerprint(t: TestEngine): Promise<string> {
  const tables = await t.db.sql.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables
      WHERE schemaname = 'public' AND tablename NOT IN ('_prisma_migrations', 'api_token', 'session') ORDER BY 1`);
  const digest = `md5(coalesce(string_agg(md5(x::text), '' ORDER BY md5(x::text)), ''))`;
  const parts = tables.rows.map(({ name }) => `(SELECT '${name}:' || count(*) || ':' || ${digest} FROM "${name}" x)`);
  const r = await t.db.sql.query<{ fp: string }>(`SELECT concat_ws(' ', ${parts.join(", ")}) AS fp`);
  return r.rows[0]!.fp;
}
