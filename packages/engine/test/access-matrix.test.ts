// Every procedure of every router (taken from the router, so a new one without
// an entry here fails) × every kind of caller → 401 / 404 / 403 / allowed, over
// the real HTTP handler, with nothing written on a refusal. Then the attack
// that started it all: an anonymous or a reader caller cannot create a shell
// queue, read a secret header, spoof an identity or reach a system queue.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../src/api/root.ts";
import { syncSpecs } from "../src/chains/host/spec-sync.ts";
import { syncCatalog } from "../src/scheduler/host/catalog-sync.ts";
import { createTestEngine, testCaller, type TestEngine } from "../src/testing.ts";
import { databaseFingerprint } from "./api-fixtures.ts";
import { newTaskId } from "../src/tasks/ids.ts";

/** What a procedure needs of a project-p1 caller: the least role that may call it. */
type Level = "anyone" | "signedIn" | "reader" | "triggerer" | "owner" | "admin";
type Who = "anonymous" | "expired" | "revoked" | "otherOwner" | "reader" | "triggerer" | "owner" | "admin";
const CALLERS: Who[] = ["anonymous", "expired", "revoked", "otherOwner", "reader", "triggerer", "owner", "admin"];
const RANK: Record<Level, number> = { anyone: 0, signedIn: 1, reader: 2, triggerer: 3, owner: 4, admin: 5 };
const HELD: Partial<Record<Who, Level>> = { reader: "reader", triggerer: "triggerer", owner: "owner", admin: "admin" };

let t: TestEngine;
const tokens: Partial<Record<Who, string>> = {};
const dir = mkdtempSync(join(tmpdir(), "hourglass-matrix-"));
let jobDescriptor = "";
let requestId = "";
let ruleId = "";
const doomedRules: Partial<Record<Who, string>> = {};
const mailChannel = { kind: "email", to: ["oncall@example.test"] };
const spare: Partial<Record<Who, string>> = {};
/** A task of project p1 (its own group), and the definition of one more per caller (createTask, defineTask). */
const TASK = newTaskId();
const newTasks = Object.fromEntries(CALLERS.map((w) => [w, newTaskId()])) as Record<Who, string>;
const taskDef = () => ({
  taskQueueId: "p1/linux", projectId: "p1", schedulerId: "matrix", created: new Date().toISOString(),
  deadline: new Date(Date.now() + 3600_000).toISOString(), payload: {},
  metadata: { name: "matrix", description: "", owner: "matrix@example.test", source: "https://example.test" },
});
const onTask = (extra: object = {}) => () => ({ taskId: TASK, ...extra });
const onGroup = () => ({ taskGroupId: TASK });
const onTaskQueue = () => ({ taskQueueId: "p1/linux" });
const worker = { workerGroup: "wg", workerId: "w1" };

/** Every procedure: its level, an input on project p1's resources (per caller, for destructive ones), and its not-found code. */
const TABLE: Record<string, { level: Level; input?: (who: Who) => unknown; notFound?: string; hidesNothing?: boolean }> = {
  // a queue that does not exist yet has nothing to hide: a caller of another project is told the scope it lacks
  "queues.createQueue": { level: "owner", input: (w) => ({ name: `q_new_${w}`, project: "p1" }), hidesNothing: true },
  "queues.deleteQueue": { level: "owner", input: (w) => ({ name: `q_del_${w}` }), notFound: "QUEUE_NOT_FOUND" },
  "queues.getQueueNames": { level: "signedIn" },
  "queues.enqueueJobs": { level: "triggerer", input: () => ({ queueName: "q_p1", jobs: [{ body: "x" }] }), notFound: "QUEUE_NOT_FOUND" },
  "queues.dequeueJobs": { level: "owner", input: () => ({ queueName: "q_p1", limit: 1, dryRun: true }), notFound: "QUEUE_NOT_FOUND" },
  "queues.ackDequeuedJobs": { level: "owner", input: () => ({ queueName: "q_p1", jobsSucceeded: [] }), notFound: "QUEUE_NOT_FOUND" },
  "queues.checkpointJobs": {
    level: "owner", input: () => ({ queueName: "q_p1", requests: [{ jobDescriptor, runAfterTimestampMillis: 0 }] }), notFound: "QUEUE_NOT_FOUND",
  },
  "queues.lookupJobs": { level: "signedIn", input: () => ({ jobDescriptors: [jobDescriptor] }) },
  "queues.getJobCount": { level: "reader", input: () => ({ queueName: "q_p1", jobState: "PENDING" }), notFound: "QUEUE_NOT_FOUND" },
  "queues.scanJobs": { level: "reader", input: () => ({ queueName: "q_p1", jobState: "PENDING" }), notFound: "QUEUE_NOT_FOUND" },
  "queues.retryFailedJobs": { level: "owner", input: () => ({ queueName: "q_p1" }), notFound: "QUEUE_NOT_FOUND" },
  "queues.deleteJobs": { level: "owner", input: () => ({ queueName: "q_p1", jobState: "FAILED" }), notFound: "QUEUE_NOT_FOUND" },
  "queues.requeueJobs": { level: "owner", input: () => ({ queueName: "q_p1", jobState: "FAILED" }), notFound: "QUEUE_NOT_FOUND" },
  "queues.cancelJobs": { level: "owner", input: () => ({ queueName: "q_p1", bodyRegexToMatch: "^nothing$" }), notFound: "QUEUE_NOT_FOUND" },
  "queues.getQueue": { level: "reader", input: () => ({ name: "q_p1" }), notFound: "QUEUE_NOT_FOUND" },
  "queues.getQueueSummaries": { level: "signedIn" },
  "queues.getQueueSummary": { level: "reader", input: () => ({ name: "q_p1" }), notFound: "QUEUE_NOT_FOUND" },
  "queues.updateQueue": { level: "owner", input: () => ({ name: "q_p1", settings: { claimTimeoutMillis: 60_000 } }), notFound: "QUEUE_NOT_FOUND" },
  "queues.pauseQueue": { level: "owner", input: () => ({ name: "q_p1" }), notFound: "QUEUE_NOT_FOUND" },
  "queues.resumeQueue": { level: "owner", input: () => ({ name: "q_p1" }), notFound: "QUEUE_NOT_FOUND" },
  "queues.getJobDetails": { level: "reader", input: () => ({ jobDescriptor }), notFound: "QUEUE_NOT_FOUND" },
  "queues.jobHistory": { level: "reader", input: () => ({ jobDescriptor }), notFound: "QUEUE_NOT_FOUND" },
  "scheduler.getProjects": { level: "signedIn" },
  "scheduler.getJobs": { level: "signedIn", input: () => ({ project: "p1" }) },
  "scheduler.getJob": { level: "reader", input: () => ({ job: "p1/job" }), notFound: "JOB_NOT_FOUND" },
  "scheduler.getJobTriageLog": { level: "reader", input: () => ({ job: "p1/job" }), notFound: "JOB_NOT_FOUND" },
  "scheduler.listTriggers": { level: "reader", input: () => ({ job: "p1/job" }), notFound: "JOB_NOT_FOUND" },
  "scheduler.getInvocations": { level: "reader", input: () => ({ job: "p1/job" }), notFound: "JOB_NOT_FOUND" },
  "scheduler.getInvocation": { level: "reader", input: () => ({ job: "p1/job", invocationId: "1" }), notFound: "JOB_NOT_FOUND" },
  "scheduler.invocationHistory": { level: "reader", input: () => ({ job: "p1/job", invocationId: "1" }), notFound: "JOB_NOT_FOUND" },
  "scheduler.pauseJob": { level: "owner", input: () => ({ job: "p1/job", reason: "matrix" }), notFound: "JOB_NOT_FOUND" },
  "scheduler.resumeJob": { level: "owner", input: () => ({ job: "p1/job" }), notFound: "JOB_NOT_FOUND" },
  "scheduler.abortJob": { level: "owner", input: () => ({ job: "p1/job" }), notFound: "JOB_NOT_FOUND" },
  "scheduler.abortInvocation": { level: "owner", input: () => ({ job: "p1/job", invocationId: "1" }), notFound: "JOB_NOT_FOUND" },
  "scheduler.abortInvocations": { level: "owner", input: () => ({ job: "p1/job" }), notFound: "JOB_NOT_FOUND" },
  "scheduler.rerunInvocation": { level: "triggerer", input: () => ({ job: "p1/job", invocationId: "1" }), notFound: "JOB_NOT_FOUND" },
  "scheduler.emitTriggers": {
    level: "triggerer", input: (w) => ({ batches: [{ trigger: { id: `m-${w}` }, jobs: ["p1/job"] }] }), notFound: "JOB_NOT_FOUND",
  },
  "scheduler.backfill": {
    level: "triggerer", notFound: "JOB_NOT_FOUND",
    input: () => ({ job: "p1/job", fromTimestampMillis: Date.now() - 7_200_000, toTimestampMillis: Date.now() - 3_600_000, dryRun: true }),
  },
  "scheduler.getBackfills": { level: "reader", input: () => ({ job: "p1/job" }), notFound: "JOB_NOT_FOUND" },
  "scheduler.getBackfill": { level: "reader", input: () => ({ job: "p1/job", backfillId: "1" }), notFound: "JOB_NOT_FOUND" },
  "scheduler.triggerJob": { level: "triggerer", input: () => ({ job: "p1/job" }), notFound: "JOB_NOT_FOUND" },
  "requests.specs": { level: "signedIn" },
  "requests.version": { level: "anyone" },
  "requests.create": { level: "triggerer", input: () => ({ type: "t1", args: {} }), notFound: "REQUEST_INVALID" },
  "requests.get": { level: "reader", input: () => ({ id: requestId }), notFound: "REQUEST_NOT_FOUND" },
  "requests.status": { level: "reader", input: () => ({ id: requestId }), notFound: "REQUEST_NOT_FOUND" },
  "requests.jobChain": { level: "reader", input: () => ({ id: requestId }), notFound: "REQUEST_NOT_FOUND" },
  "requests.log": { level: "reader", input: () => ({ requestId }), notFound: "REQUEST_NOT_FOUND" },
  "requests.history": { level: "reader", input: () => ({ id: requestId }), notFound: "REQUEST_NOT_FOUND" },
  "requests.jobHistory": { level: "reader", input: () => ({ id: requestId, jobId: "j1" }), notFound: "REQUEST_NOT_FOUND" },
  "requests.find": { level: "signedIn", input: () => ({}) },
  "requests.running": { level: "signedIn", input: () => ({}) },
  "requests.start": { level: "triggerer", input: () => ({ id: requestId }), notFound: "REQUEST_NOT_FOUND" },
  "requests.stop": { level: "owner", input: () => ({ id: requestId }), notFound: "REQUEST_NOT_FOUND" },
  "requests.suspend": { level: "owner", input: () => ({ id: requestId }), notFound: "REQUEST_NOT_FOUND" },
  "requests.resume": { level: "owner", input: () => ({ id: requestId }), notFound: "REQUEST_NOT_FOUND" },
  "requests.retry": { level: "owner", input: () => ({ id: requestId }), notFound: "REQUEST_NOT_FOUND" },
  "requests.count": { level: "reader", input: () => ({ filter: { type: "t1" } }), notFound: "REQUEST_INVALID" },
  "requests.stopMany": { level: "owner", input: () => ({ filter: { type: "t1" }, reason: "matrix" }), notFound: "REQUEST_INVALID" },
  "requests.suspendMany": { level: "owner", input: () => ({ ids: [requestId], reason: "matrix" }), notFound: "REQUEST_NOT_FOUND" },
  "requests.resumeMany": { level: "owner", input: () => ({ filter: { type: "t1" } }), notFound: "REQUEST_INVALID" },
  "access.whoami": { level: "anyone" },
  "access.listPrincipals": { level: "admin" },
  "access.getPrincipal": { level: "admin", input: () => ({ id: "user:reader" }) },
  "access.createPrincipal": { level: "admin", input: (w) => ({ kind: "service", name: `made-by-${w}` }) },
  "access.updatePrincipal": { level: "admin", input: () => ({ id: "service:spare", displayName: "Spare" }) },
  "access.deletePrincipal": { level: "admin", input: (w) => ({ id: `service:doomed-${w.toLowerCase()}` }) },
  "access.listTokens": { level: "signedIn", input: () => ({}) },
  "access.createToken": { level: "signedIn", input: () => ({ name: "mine", scopes: [] }) },
  // each caller revokes a spare token of its own (another's token would read as missing)
  "access.revokeToken": { level: "signedIn", input: (w) => ({ id: spare[w] ?? "0".repeat(20) }), notFound: "TOKEN_NOT_FOUND" },
  "access.listRoles": { level: "signedIn" },
  "access.putRole": { level: "admin", input: () => ({ id: "matrix-role", scopes: ["queues:read:p1/*"] }) },
  "access.deleteRole": { level: "admin", input: () => ({ id: "matrix-role" }) },
  "access.expandScopes": { level: "signedIn", input: () => ({ scopes: ["assume:project:p1:reader"] }) },
  // a project's alert list and new rules hide nothing: a caller of another project is told the scope it lacks
  "alerts.list": { level: "reader", input: () => ({ project: "p1" }), hidesNothing: true },
  "alerts.create": {
    level: "owner", input: (w) => ({ project: "p1", name: `made by ${w}`, kind: "request_failed", channel: mailChannel }), hidesNothing: true,
  },
  "alerts.get": { level: "reader", input: () => ({ id: ruleId }), notFound: "ALERT_RULE_NOT_FOUND" },
  "alerts.deliveries": { level: "reader", input: () => ({ id: ruleId }), notFound: "ALERT_RULE_NOT_FOUND" },
  "alerts.update": {
    level: "owner", input: () => ({ id: ruleId, rule: { name: "matrix", kind: "request_failed", channel: mailChannel } }),
    notFound: "ALERT_RULE_NOT_FOUND",
  },
  "alerts.sendTest": { level: "owner", input: () => ({ id: ruleId }), notFound: "ALERT_RULE_NOT_FOUND" },
  "alerts.delete": { level: "owner", input: (w) => ({ id: doomedRules[w] }), notFound: "ALERT_RULE_NOT_FOUND" },
  // every signed-in caller may search; each sees only the events it may read (audit.test.ts)
  "audit.search": { level: "signedIn", input: () => ({}) },
  // tasks: Taskcluster's scopes (no project role holds them but `admin`); reads and, for owners, task actions
  // also through the project's tasks:read / tasks:manage; an invisible task or group reads as missing
  "tasks.createTask": { level: "admin", input: (w) => ({ taskId: newTasks[w], task: taskDef() }), hidesNothing: true },
  "tasks.defineTask": { level: "admin", input: (w) => ({ taskId: newTasks[w], task: taskDef() }), hidesNothing: true },
  "tasks.task": { level: "reader", input: onTask(), notFound: "TASK_NOT_FOUND" },
  "tasks.status": { level: "reader", input: onTask(), notFound: "TASK_NOT_FOUND" },
  "tasks.listDependentTasks": { level: "reader", input: onTask(), notFound: "TASK_NOT_FOUND" },
  "tasks.claimWork": { level: "admin", input: () => ({ ...onTaskQueue(), ...worker, tasks: 1 }), hidesNothing: true },
  "tasks.claimTask": { level: "admin", input: onTask({ runId: 0, ...worker }), notFound: "TASK_NOT_FOUND" },
  "tasks.reclaimTask": { level: "admin", input: onTask({ runId: 0 }), notFound: "TASK_NOT_FOUND" },
  "tasks.reportCompleted": { level: "admin", input: onTask({ runId: 0 }), notFound: "TASK_NOT_FOUND" },
  "tasks.reportFailed": { level: "admin", input: onTask({ runId: 0 }), notFound: "TASK_NOT_FOUND" },
  "tasks.reportException": { level: "admin", input: onTask({ runId: 0, reason: "worker-shutdown" }), notFound: "TASK_NOT_FOUND" },
  "tasks.scheduleTask": { level: "owner", input: onTask(), notFound: "TASK_NOT_FOUND" },
  "tasks.rerunTask": { level: "owner", input: onTask(), notFound: "TASK_NOT_FOUND" },
  "tasks.cancelTask": { level: "owner", input: onTask(), notFound: "TASK_NOT_FOUND" },
  "tasks.listTaskGroup": { level: "reader", input: onGroup, notFound: "TASK_GROUP_NOT_FOUND" },
  "tasks.getTaskGroup": { level: "reader", input: onGroup, notFound: "TASK_GROUP_NOT_FOUND" },
  "tasks.sealTaskGroup": { level: "owner", input: onGroup, notFound: "TASK_GROUP_NOT_FOUND" },
  "tasks.cancelTaskGroup": { level: "owner", input: onGroup, notFound: "TASK_GROUP_NOT_FOUND" },
  "tasks.pendingTasks": { level: "admin", input: onTaskQueue, hidesNothing: true },
  "tasks.taskQueueCounts": { level: "admin", input: onTaskQueue, hidesNothing: true },
  "tasks.listTaskQueues": { level: "admin", input: () => ({}), hidesNothing: true },
  "tasks.listPendingTasks": { level: "admin", input: onTaskQueue, hidesNothing: true },
  "tasks.listClaimedTasks": { level: "admin", input: onTaskQueue, hidesNothing: true },
  "tasks.getTaskQueue": { level: "admin", input: onTaskQueue, hidesNothing: true },
  "tasks.listWorkers": { level: "admin", input: () => ({ provisionerId: "p1", workerType: "linux" }), hidesNothing: true },
  "tasks.getWorker": { level: "admin", input: () => ({ provisionerId: "p1", workerType: "linux", ...worker }), hidesNothing: true },
  "tasks.quarantineWorker": {
    level: "admin", input: () => ({ provisionerId: "p1", workerType: "linux", ...worker, quarantineUntil: new Date(0).toISOString() }),
    hidesNothing: true,
  },
  // every signed-in caller may search; each finds only what it may read (search.test.ts)
  "search.find": { level: "signedIn", input: () => ({ q: "q_p1" }) },
};

const QUERIES = new Set(Object.entries(appRouter._def.procedures).filter(([, p]) => (p as unknown as { _def: { type: string } })._def.type === "query").map(([k]) => k));

async function call(path: string, input: unknown, who: Who) {
  const token = who === "anonymous" ? null : tokens[who]!;
  const r = QUERIES.has(path) ? await t.query(path, input, token) : await t.mutate(path, input, token);
  return { status: r.status, errorCode: r.error?.data?.errorCode as string | undefined, message: r.error?.message as string | undefined };
}

beforeAll(async () => {
  t = await createTestEngine();
  const api = t.api;
  writeFileSync(join(dir, "p1.yaml"), "jobs:\n  - id: job\n    schedule: triggered\n    task: { kind: noop }\n");
  writeFileSync(join(dir, "p2.yaml"), "jobs:\n  - id: job\n    schedule: triggered\n    task: { kind: noop }\n");
  await syncCatalog(t.engine.ctx, dir);
  const specs = join(dir, "specs");
  await import("node:fs").then((fs) => fs.mkdirSync(specs));
  writeFileSync(join(specs, "p1.yaml"), "project: p1\nsequences:\n  t1:\n    request: true\n    nodes:\n      a: { category: job, type: noop }\n");
  await syncSpecs(t.engine.ctx, specs, []);
  await api.queues.createQueue({ name: "q_p1", project: "p1" });
  for (const w of CALLERS) await api.queues.createQueue({ name: `q_del_${w}`, project: "p1" });
  jobDescriptor = (await api.queues.enqueueJobs({ queueName: "q_p1", jobs: [{ body: "hello" }] })).jobDescriptors[0]!;
  requestId = (await api.requests.create({ type: "t1", args: {} })).id;
  await api.tasks.createTask({ taskId: TASK, task: taskDef() });
  t.engine.tasks.options.claimWaitMs = 50;
  const rule = (name: string) => api.alerts.create({ project: "p1", name, kind: "request_failed", channel: { kind: "email", to: ["x@example.test"] } });
  ruleId = (await rule("matrix")).id;
  for (const w of CALLERS) doomedRules[w] = (await rule(`doomed by ${w}`)).id;
  const admin = testCaller("test");
  for (const name of ["spare", ...CALLERS.map((w) => `doomed-${w.toLowerCase()}`)]) {
    await t.engine.access.principals.create({ kind: "service", name, scopes: [], by: "test" });
  }
  const roles: Record<string, string[]> = {
    reader: ["assume:project:p1:reader"], triggerer: ["assume:project:p1:triggerer"], owner: ["assume:project:p1:owner"],
    otherowner: ["assume:project:p2:owner"], admin: ["assume:admin"], expired: ["assume:admin"], revoked: ["assume:admin"],
  };
  for (const [name, scopes] of Object.entries(roles)) {
    await t.engine.access.principals.create({ kind: "user", name, scopes, by: "test" });
    const who = (name === "otherowner" ? "otherOwner" : name) as Who;
    const made = await t.engine.access.credentials.createToken(admin, { principalId: `user:${name}`, name: "matrix", scopes: ["*"] });
    tokens[who] = made.token;
    spare[who] = (await t.engine.access.credentials.createToken(admin, { principalId: `user:${name}`, name: "spare", scopes: [] })).clientId;
    if (name === "expired") await t.db.sql.query(`UPDATE api_token SET expires_at = now() - interval '1 minute' WHERE id = $1`, [made.clientId]);
    if (name === "revoked") await t.engine.access.credentials.revokeToken(made.clientId, "test");
  }
}, 60_000);

afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the access matrix", () => {
  it("has an entry for every procedure of every router", () => {
    const procedures = Object.keys(appRouter._def.procedures).sort();
    expect(procedures.filter((p) => !(p in TABLE))).toEqual([]);
    expect(Object.keys(TABLE).filter((p) => !procedures.includes(p))).toEqual([]);
  });

  for (const [path, entry] of Object.entries(TABLE)) {
    it(`${path} (${entry.level})`, async () => {
      for (const who of CALLERS) {
        const input = entry.input?.(who);
        const before = await databaseFingerprint(t);
        const r = await call(path, input, who);
        const context = `${path} as ${who}: ${r.status} ${r.errorCode ?? ""} ${r.message ?? ""}`;
        let refused = true;
        if (who === "expired" || who === "revoked") {
          expect(r.status, context).toBe(401);
        } else if (who === "anonymous") {
          if (entry.level === "anyone") refused = false;
          else expect(r.status, context).toBe(401);
        } else if (who === "otherOwner") {
          if (entry.level === "anyone" || entry.level === "signedIn") refused = false;
          // an admin-only call on a resource the caller may not see (a task: notFound) answers as missing
          else if ((entry.level === "admin" && !entry.notFound) || entry.hidesNothing) expect(r.status, context).toBe(403);
          else {
            // exactly what a missing resource answers (REQUEST_INVALID, an unknown request type, is a 400)
            expect(r.errorCode, context).toBe(entry.notFound);
            expect(r.status, context).toBe(entry.notFound === "REQUEST_INVALID" ? 400 : 404);
          }
        } else if (RANK[HELD[who]!] >= RANK[entry.level]) {
          refused = false;
        } else if (entry.level === "admin" || RANK[HELD[who]!] >= RANK.reader) {
          expect([r.status, r.errorCode], context).toEqual([403, "PERMISSION_DENIED"]);
          expect(r.message, context).toMatch(/missing scope|needs any of/);
        }
        if (refused) {
          expect(await databaseFingerprint(t), `${context}: a refusal wrote something`).toBe(before);
        } else {
          // allowed through the access check: any answer but the ones it gives
          expect([401, 403].includes(r.status), context).toBe(false);
          if (entry.notFound) expect(r.errorCode, context).not.toBe(entry.notFound);
        }
      }
    });
  }
});

describe("lists show only what the caller may read", () => {
  it("a caller of another project sees none of p1's queues, jobs, projects or requests", async () => {
    const names = await t.query("queues.getQueueNames", undefined, tokens.otherOwner);
    expect(names.data).not.toContain("q_p1");
    expect((await t.query("queues.lookupJobs", { jobDescriptors: [jobDescriptor] }, tokens.otherOwner)).data).toEqual({});
    expect((await t.query("scheduler.getProjects", undefined, tokens.otherOwner)).data.map((p: { id: string }) => p.id)).toEqual(["p2"]);
    expect((await t.query("scheduler.getJobs", {}, tokens.otherOwner)).data.jobs.map((j: { job: string }) => j.job)).toEqual(["p2/job"]);
    expect((await t.query("requests.find", {}, tokens.otherOwner)).data.requests).toEqual([]);
    expect((await t.query("requests.specs", undefined, tokens.otherOwner)).data.requests).toEqual([]);
    expect((await t.query("search.find", { q: requestId }, tokens.otherOwner)).data.hits).toEqual([]);
    // and a reader of p1 does see them
    expect((await t.query("queues.getQueueNames", undefined, tokens.reader)).data).toContain("q_p1");
    expect((await t.query("requests.find", {}, tokens.reader)).data.requests.map((r: { id: string }) => r.id)).toContain(requestId);
    expect((await t.query("search.find", { q: requestId }, tokens.reader)).data.hits).toContainEqual(expect.objectContaining({ id: requestId }));
  });
});

describe("the attack that started it", () => {
  const shell = { kind: "shell", command: "id", args: [] };

  it("anonymous and reader callers cannot create a shell queue; an owner needs executor:shell", async () => {
    for (const token of [null, tokens.reader!, tokens.owner!]) {
      const r = await t.mutate("queues.createQueue", { name: "q_pwn", project: "p1", executor: shell }, token);
      expect(r.status).toBe(token === null ? 401 : 403);
    }
    expect(await t.api.queues.getQueueNames()).not.toContain("q_pwn");
    const admin = await t.mutate("queues.createQueue", { name: "q_shell_ok", project: "p1", executor: shell }, tokens.admin!);
    expect(admin.status).toBe(200);
    // an owner cannot turn an existing queue into a shell queue either
    const turn = await t.mutate("queues.updateQueue", { name: "q_p1", settings: { executor: shell } }, tokens.owner!);
    expect([turn.status, turn.error.message]).toEqual([403, expect.stringMatching(/executor:shell/)]);
  });

  it("no caller reads a secret header", async () => {
    await t.api.queues.createQueue({ name: "q_hook", project: "p1", executor: { kind: "http", url: "https://x.example", headers: { Authorization: "Bearer sk-live-123" } } });
    for (const token of [tokens.reader!, tokens.owner!, tokens.admin!]) {
      const r = await t.query("queues.getQueue", { name: "q_hook" }, token);
      expect(r.status).toBe(200);
      expect(JSON.stringify(r.data)).not.toContain("sk-live");
      expect(JSON.stringify((await t.query("queues.getQueueSummaries", undefined, token)).data)).not.toContain("sk-live");
    }
  });

  it("no header names anyone: history and pause records name the token's owner", async () => {
    const r = await t.mutate("queues.pauseQueue", { name: "q_p1" }, tokens.owner!);
    expect(r.status).toBe(200);
    expect(r.data.pausedBy).toBe("user:owner");
    const spoof = await new Request("http://127.0.0.1/api/trpc/queues.resumeQueue", {
      method: "POST", headers: { "content-type": "application/json", "x-hourglass-caller": "admin" }, body: JSON.stringify({ name: "q_p1" }),
    });
    const { handleApiRequest } = await import("../src/api/http.ts");
    expect((await handleApiRequest(spoof, t.engine)).status).toBe(401);
  });

  it("an owner needs executor:http for a webhook alert, and no caller reads an alert's secret", async () => {
    const hook = { project: "p1", name: "hook", kind: "invocation_failed", channel: { kind: "webhook", url: "http://10.0.0.1/x", secret: "whsec-matrix-0123456789" } };
    const owner = await t.mutate("alerts.create", hook, tokens.owner!);
    expect([owner.status, owner.error.message]).toEqual([403, expect.stringMatching(/executor:http/)]);
    const admin = await t.mutate("alerts.create", hook, tokens.admin!);
    expect(admin.status).toBe(200);
    for (const token of [tokens.reader!, tokens.owner!, tokens.admin!]) {
      const got = await t.query("alerts.get", { id: admin.data.id }, token);
      expect([got.status, got.data.channel.secret]).toEqual([200, "(secret: set)"]);
      expect(JSON.stringify((await t.query("alerts.list", { project: "p1" }, token)).data)).not.toContain("whsec-matrix");
    }
    // and an owner cannot point an existing rule at a webhook either
    const turn = await t.mutate("alerts.update", { id: ruleId, rule: { ...hook, project: undefined } }, tokens.owner!);
    expect([turn.status, turn.error.message]).toEqual([403, expect.stringMatching(/executor:http/)]);
  });

  it("no caller but the engine writes a system queue, and a foreign Host is refused", async () => {
    await t.engine.internal.queues.createQueue(testCaller("test"), { name: "hourglass_invocations" });
    const r = await t.mutate("queues.deleteQueue", { name: "hourglass_invocations" }, tokens.admin!);
    expect(r.status).toBe(403);
    const { handleApiRequest } = await import("../src/api/http.ts");
    const foreign = new Request("http://rebind.evil.example/api/trpc/queues.getQueueNames", { headers: { authorization: `Bearer ${tokens.admin}` } });
    expect((await handleApiRequest(foreign, t.engine)).status).toBe(403);
  });
});
