// Operator actions on queues and on access control are events: each action
// writes exactly one, with the caller as actor and secrets masked, in the
// transaction of its change; a refused action (403, a validation error) and a
// guarded no-op (pausing a paused queue, revoking a revoked token) write none.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncAccessConfig } from "../src/access/host/access-config.ts";
import { SECRET_CHANGED, SECRET_MASK } from "../src/executors/secrets.ts";
import type { EventInfo } from "../src/events/types.ts";
import { createTestEngine, ManualClock, testCaller, type TestEngine } from "../src/testing.ts";

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const clock = new ManualClock(T0);
let t: TestEngine;
let readerToken = "";
const dir = mkdtempSync(join(tmpdir(), "hourglass-operator-events-"));

beforeAll(async () => {
  t = await createTestEngine({ clock });
  await t.engine.access.principals.create({ kind: "user", name: "rita", scopes: ["assume:project:default:reader"], by: "test" });
  readerToken = (await t.engine.access.credentials.createToken(testCaller("test"), { principalId: "user:rita", name: "r", scopes: ["*"] })).token;
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function ok(kind: "query" | "mutate", path: string, input?: unknown, token?: string) {
  const r = await t[kind](path, input, token);
  if (r.error) throw new Error(`${path} failed: ${JSON.stringify(r.error)}`);
  return r.data;
}

const count = async () => Number((await t.db.sql.query<{ n: string }>(`SELECT count(*) AS n FROM event_log`)).rows[0]!.n);

/** The events written while `act` ran (the log's newest rows), oldest first. */
async function during(act: () => Promise<unknown>): Promise<EventInfo[]> {
  const last = (await t.db.sql.query<{ id: string | null }>(`SELECT max(id)::text AS id FROM event_log`)).rows[0]!.id ?? "0";
  clock.advance(1000);
  await act();
  const page = await t.engine.events.search({ projects: null, limit: 500 });
  return page.events.filter((e) => BigInt(e.id) > BigInt(last)).reverse();
}

const brief = (e: EventInfo) => [e.project, e.entityKind, e.entityId, e.action, e.from, e.to, e.actor];

describe("queue operator actions", () => {
  const hook = { kind: "http", url: "https://hooks.example/a", headers: { Authorization: "Bearer sk-live-1", "X-Team": "ops" } };

  it("createQueue writes `created` with the settings, the executor masked; creating it again writes none", async () => {
    const [created, ...rest] = await during(() => ok("mutate", "queues.createQueue", { name: "oe_hook", executor: hook, claimTimeoutMillis: 60_000 }));
    expect(rest).toEqual([]);
    expect(brief(created!)).toEqual(["default", "queue", "oe_hook", "created", null, "ACTIVE", "user:tester"]);
    expect(created!.payload).toMatchObject({
      settings: { claimTimeoutMillis: 60_000, dequeueRateLimit: null, executor: { kind: "http", headers: { Authorization: SECRET_MASK, "X-Team": SECRET_MASK } } },
    });
    expect(JSON.stringify(created)).not.toContain("sk-live");
    expect(await during(() => ok("mutate", "queues.createQueue", { name: "oe_hook" }))).toEqual([]);
  });

  it("updateQueue writes `updated` saying what changed (field → from, to), a replaced secret only as changed", async () => {
    const events = await during(() => ok("mutate", "queues.updateQueue", {
      name: "oe_hook", settings: { claimTimeoutMillis: 90_000, executor: { url: "https://hooks.example/b", headers: { Authorization: "Bearer sk-live-2", "X-Team": SECRET_MASK } } },
    }));
    expect(events.map(brief)).toEqual([["default", "queue", "oe_hook", "updated", null, null, "user:tester"]]);
    expect(events[0]!.payload).toEqual({
      changes: {
        claimTimeoutMillis: { from: 60_000, to: 90_000 },
        "executor.url": { from: "https://hooks.example/a", to: "https://hooks.example/b" },
        "executor.headers": { from: { Authorization: SECRET_MASK, "X-Team": SECRET_MASK }, to: { Authorization: SECRET_CHANGED, "X-Team": SECRET_MASK } },
      },
    });
    expect(JSON.stringify(events)).not.toContain("sk-live");
    // the same values again change nothing: no event
    expect(await during(() => ok("mutate", "queues.updateQueue", { name: "oe_hook", settings: { claimTimeoutMillis: 90_000 } }))).toEqual([]);
    // a rate limit of 0 pauses: the update is a transition too
    const [paused] = await during(() => ok("mutate", "queues.updateQueue", { name: "oe_hook", settings: { dequeueRateLimit: 0 } }));
    expect([paused!.action, paused!.from, paused!.to, paused!.payload]).toEqual(["updated", "ACTIVE", "PAUSED", { changes: { dequeueRateLimit: { from: null, to: 0 } } }]);
    expect((await ok("query", "queues.getQueue", { name: "oe_hook" })).pausedBy).toBe("user:tester");
    await ok("mutate", "queues.updateQueue", { name: "oe_hook", settings: { dequeueRateLimit: null } });
  });

  it("pauseQueue and resumeQueue write one event each with the reason; a second pause writes none", async () => {
    await ok("mutate", "queues.createQueue", { name: "oe_pause", dequeueRateLimit: 5 });
    const [paused, ...more] = await during(() => ok("mutate", "queues.pauseQueue", { name: "oe_pause", reason: "  database migration " }));
    expect(more).toEqual([]);
    expect(brief(paused!)).toEqual(["default", "queue", "oe_pause", "paused", "ACTIVE", "PAUSED", "user:tester"]);
    expect([paused!.reason, paused!.payload]).toEqual(["database migration", { rateLimitBeforePause: 5 }]);
    expect(await during(() => ok("mutate", "queues.pauseQueue", { name: "oe_pause" }))).toEqual([]);
    const [resumed] = await during(() => ok("mutate", "queues.resumeQueue", { name: "oe_pause" }));
    expect([resumed!.action, resumed!.from, resumed!.to, resumed!.reason, resumed!.payload])
      .toEqual(["resumed", "PAUSED", "ACTIVE", "", { dequeueRateLimit: 5 }]);
    expect(await during(() => ok("mutate", "queues.resumeQueue", { name: "oe_pause" }))).toEqual([]);
  });

  it("refused actions write nothing: 403, a validation error, a system queue, a missing queue", async () => {
    const before = await count();
    expect((await t.mutate("queues.pauseQueue", { name: "oe_pause" }, readerToken)).status).toBe(403);
    expect((await t.mutate("queues.pauseQueue", { name: "oe_pause", reason: "x".repeat(1001) })).status).toBe(400);
    expect((await t.mutate("queues.updateQueue", { name: "oe_hook", settings: { executor: { url: "not a url" } } })).status).toBe(400);
    // the engine's own parts create their queues under a bare name: recorded as system:<name>
    const [own] = await during(() => t.engine.internal.queues.createQueue({ id: "scheduler" }, { name: "hourglass_oe" }));
    expect([own!.action, own!.actor]).toEqual(["created", "system:scheduler"]);
    const afterSystem = await count();
    expect((await t.mutate("queues.pauseQueue", { name: "hourglass_oe" })).error.data.errorCode).toBe("QUEUE_RESERVED");
    expect((await t.mutate("queues.deleteQueue", { name: "oe_missing" })).status).toBe(404);
    expect((await t.mutate("queues.deleteJobs", { queueName: "oe_pause", jobState: "PENDING", bodyRegexToMatch: "(" })).error.data.errorCode)
      .toBe("BODY_REGEX_INVALID");
    expect(afterSystem - before).toBe(1); // the engine's own createQueue is an event too
    expect(await count()).toBe(afterSystem);
  });

  it("retryFailedJobs and deleteJobs write their jobs' events and one summary on the queue; none when they move nothing", async () => {
    await ok("mutate", "queues.createQueue", { name: "oe_bulk" });
    const { jobDescriptors } = await ok("mutate", "queues.enqueueJobs", { queueName: "oe_bulk", jobs: [{ body: "a", numAttemptsAllowed: 1 }, { body: "b", numAttemptsAllowed: 1 }] });
    await ok("mutate", "queues.dequeueJobs", { queueName: "oe_bulk", limit: 2 });
    await ok("mutate", "queues.ackDequeuedJobs", { queueName: "oe_bulk", jobsFailed: jobDescriptors.map((jobDescriptor: string) => ({ jobDescriptor })) });
    const retried = await during(() => ok("mutate", "queues.retryFailedJobs", { queueName: "oe_bulk", priority: 1, limit: 10 }));
    expect(retried.map((e) => [e.entityKind, e.action, e.actor])).toEqual([
      ["queue_job", "retried", "user:tester"], ["queue_job", "retried", "user:tester"], ["queue", "jobs_retried", "user:tester"],
    ]);
    expect(retried[2]!.payload).toEqual({
      filter: {
        priority: 1, bodyRegexToMatch: null, future: null, attemptsToAllow: 1, runAfterTimestampMillis: clock.now().getTime(), limit: 10,
      },
      count: 2, skipped: [],
    });
    expect(await during(() => ok("mutate", "queues.retryFailedJobs", { queueName: "oe_bulk" }))).toEqual([]);
    const deleted = await during(() => ok("mutate", "queues.deleteJobs", { queueName: "oe_bulk", jobState: "PENDING", bodyRegexToMatch: "^a$" }));
    expect(deleted.map((e) => [e.entityKind, e.action])).toEqual([["queue_job", "deleted"], ["queue", "jobs_deleted"]]);
    expect(deleted[1]!.payload).toEqual({
      filter: { jobState: "PENDING", priority: null, bodyRegexToMatch: "^a$", future: null, limit: 1000 }, count: 1, skipped: [],
    });
  });

  it("deleteQueue writes one compact `deleted` event counting its jobs; deleting it again writes none", async () => {
    const [gone, ...more] = await during(() => ok("mutate", "queues.deleteQueue", { name: "oe_bulk" }));
    expect(more).toEqual([]);
    expect([gone!.entityId, gone!.action, gone!.from, gone!.to, gone!.payload]).toEqual(["oe_bulk", "deleted", "ACTIVE", null, { jobs: 1 }]);
    // the API answers QUEUE_NOT_FOUND before; the engine's own delete is a no-op that writes nothing
    expect(await during(() => t.engine.queues.deleteQueue(testCaller("user:tester"), "oe_bulk"))).toEqual([]);
  });
});

describe("access operator actions (project hourglass)", () => {
  it("principals: created, updated (what changed), disabled, enabled, deleted — by the caller; no change, no event", async () => {
    const [made] = await during(() => ok("mutate", "access.createPrincipal", { kind: "user", name: "oe-ann", password: "ann-password-123", scopes: [] }));
    expect(brief(made!)).toEqual(["hourglass", "principal", "user:oe-ann", "created", null, "ACTIVE", "user:tester"]);
    expect(made!.payload).toEqual({ kind: "user", displayName: "oe-ann", scopes: [], hasPassword: true, singleSignOn: false });
    const [granted] = await during(() => ok("mutate", "access.updatePrincipal", { id: "user:oe-ann", scopes: ["assume:project:demo:reader"] }));
    expect([granted!.action, granted!.payload]).toEqual(["updated", { changes: { scopes: { from: [], to: ["assume:project:demo:reader"] } } }]);
    const [password] = await during(() => ok("mutate", "access.updatePrincipal", { id: "user:oe-ann", password: "ann-password-456" }));
    expect(password!.payload).toEqual({ changes: { password: { from: SECRET_MASK, to: SECRET_CHANGED } } });
    expect(JSON.stringify(password)).not.toMatch(/ann-password|argon/);
    expect(await during(() => ok("mutate", "access.updatePrincipal", { id: "user:oe-ann", displayName: "oe-ann" }))).toEqual([]);
    await t.engine.access.credentials.signIn("oe-ann", "ann-password-456", null);
    const [disabled] = await during(() => ok("mutate", "access.updatePrincipal", { id: "user:oe-ann", disabled: true }));
    expect(brief(disabled!)).toEqual(["hourglass", "principal", "user:oe-ann", "disabled", "ACTIVE", "DISABLED", "user:tester"]);
    expect(disabled!.payload).toEqual({ changes: { disabled: { from: false, to: true } }, sessionsEnded: 1 });
    const [enabled] = await during(() => ok("mutate", "access.updatePrincipal", { id: "user:oe-ann", disabled: false }));
    expect([enabled!.action, enabled!.from, enabled!.to]).toEqual(["enabled", "DISABLED", "ACTIVE"]);
    const [deleted] = await during(() => ok("mutate", "access.deletePrincipal", { id: "user:oe-ann" }));
    expect(brief(deleted!)).toEqual(["hourglass", "principal", "user:oe-ann", "deleted", null, null, "user:tester"]);
    expect(await during(() => ok("mutate", "access.deletePrincipal", { id: "user:oe-ann" }))).toEqual([]);
    // refused: a reader may not create principals, and nothing is written
    const before = await count();
    expect((await t.mutate("access.createPrincipal", { kind: "service", name: "oe-nope" }, readerToken)).status).toBe(403);
    expect((await t.mutate("access.createPrincipal", { kind: "user", name: "Bad Name" })).status).toBe(400);
    expect(await count()).toBe(before);
  });

  it("tokens: created and revoked by the caller, never with the secret; revoking again writes none", async () => {
    let secret = "";
    const [made] = await during(async () => (secret = (await ok("mutate", "access.createToken", { name: "ci", scopes: ["queues:read:demo/*"] })).accessToken));
    expect(brief(made!)).toEqual(["hourglass", "token", made!.entityId, "created", null, "ACTIVE", "user:tester"]);
    expect(made!.payload).toEqual({ principal: "user:tester", name: "ci", scopes: ["queues:read:demo/*"], expiresAtTimestampMillis: null });
    expect(JSON.stringify(made)).not.toContain(secret);
    const [revoked] = await during(() => ok("mutate", "access.revokeToken", { id: made!.entityId }));
    expect(brief(revoked!)).toEqual(["hourglass", "token", made!.entityId, "revoked", "ACTIVE", "REVOKED", "user:tester"]);
    expect(await during(() => ok("mutate", "access.revokeToken", { id: made!.entityId }))).toEqual([]);
  });

  it("sign-ins: signed_in by the user, sign_in_failed and locked as anonymous, signed_out; an unknown login or a locked refusal writes none", async () => {
    await t.engine.access.principals.create({ kind: "user", name: "oe-bob", password: "bob-password-123", scopes: [], by: "test" });
    let secret = "";
    const [signedIn] = await during(async () => (secret = (await t.engine.access.credentials.signIn("oe-bob", "bob-password-123", "Firefox")).secret));
    expect(brief(signedIn!)).toEqual(["hourglass", "session", signedIn!.entityId, "signed_in", null, "ACTIVE", "user:oe-bob"]);
    expect(signedIn!.payload).toMatchObject({ principal: "user:oe-bob", method: "password", userAgent: "Firefox" });
    expect(JSON.stringify(signedIn)).not.toContain(secret);
    const [signedOut] = await during(() => t.engine.access.credentials.signOut(secret));
    expect(brief(signedOut!)).toEqual(["hourglass", "session", signedIn!.entityId, "signed_out", "ACTIVE", null, "user:oe-bob"]);
    expect(await during(() => t.engine.access.credentials.signOut(secret))).toEqual([]);

    const fail = () => t.engine.access.credentials.signIn("oe-bob", "wrong", null).catch((e) => e.code);
    const failures = await during(async () => {
      for (let i = 0; i < 5; i++) expect(await fail()).toBe("INVALID_CREDENTIALS");
    });
    expect(failures.map((e) => [e.entityId, e.action, e.actor, e.reason])).toEqual([
      ...[1, 2, 3, 4].map(() => ["user:oe-bob", "sign_in_failed", "anonymous", "wrong password"]),
      ["user:oe-bob", "locked", "anonymous", "wrong password"],
    ]);
    expect([failures[4]!.from, failures[4]!.to, failures[4]!.payload!.failedSignIns]).toEqual(["ACTIVE", "LOCKED", 5]);
    expect(await during(async () => expect(await fail()).toBe("ACCOUNT_LOCKED"))).toEqual([]);
    const nobody = await during(() => t.engine.access.credentials.signIn("oe-nobody", "x", null).catch(() => null));
    expect(nobody).toEqual([]);
  });

  it("roles: created, updated (what changed), deleted by the caller; a put that changes nothing writes none", async () => {
    const [made] = await during(() => ok("mutate", "access.putRole", { id: "oe-role", scopes: ["queues:read:demo/*"] }));
    expect(brief(made!)).toEqual(["hourglass", "role", "oe-role", "created", null, null, "user:tester"]);
    expect(await during(() => ok("mutate", "access.putRole", { id: "oe-role", scopes: ["queues:read:demo/*"] }))).toEqual([]);
    const [changed] = await during(() => ok("mutate", "access.putRole", { id: "oe-role", description: "d", scopes: ["queues:read:demo/*"] }));
    expect([changed!.action, changed!.payload]).toEqual(["updated", { changes: { description: { from: "", to: "d" } } }]);
    const [deleted] = await during(() => ok("mutate", "access.deleteRole", { id: "oe-role" }));
    expect([deleted!.action, deleted!.payload]).toEqual(["deleted", { description: "d", scopes: ["queues:read:demo/*"] }]);
    expect(await during(() => ok("mutate", "access.deleteRole", { id: "oe-role" }))).toEqual([]);
  });

  it("the access config sync records what it changed as system:access-config, and nothing when the file did not change", async () => {
    const file = join(dir, "access.yaml");
    writeFileSync(file, "roles:\n  - id: oe-ops\n    scopes: [assume:project:demo:reader]\nbindings:\n  - principal: user:oe-bob\n    roles: [oe-ops]\n");
    const first = await during(() => syncAccessConfig(t.engine.ctx, file));
    expect(first.map((e) => [e.project, e.entityKind, e.entityId, e.action, e.actor])).toEqual([
      ["hourglass", "role", "oe-ops", "created", "system:access-config"],
      ["hourglass", "principal", "user:oe-bob", "bindings_changed", "system:access-config"],
    ]);
    expect(first[1]!.payload).toEqual({ changes: { configBindings: { from: null, to: ["assume:oe-ops"] } } });
    expect(await during(() => syncAccessConfig(t.engine.ctx, file))).toEqual([]);
    // two workers syncing the same new file at once record each change once
    writeFileSync(file, "roles: []\nbindings: []\n");
    const both = await during(() => Promise.all([syncAccessConfig(t.engine.ctx, file), syncAccessConfig(t.engine.ctx, file)]));
    expect(both.map((e) => [e.entityId, e.action])).toEqual([["oe-ops", "deleted"], ["user:oe-bob", "bindings_changed"]]);
  });
});
