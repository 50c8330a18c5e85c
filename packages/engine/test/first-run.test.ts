// A fresh installation gets an administrator once; the demo gets its users;
// the session cookie is set, cleared and read back the same way everywhere.
import { createTestDatabase, type TestDatabase } from "@hourglass/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureAdmin, FIRST_ADMIN } from "../src/access/host/first-run.ts";
import { clearedSessionCookie, readSessionCookie, SESSION_COOKIE, sessionCookie } from "../src/access/host/session-cookie.ts";
import { DEMO_SERVICE_ACCOUNTS, DEMO_USERS, loadDemoData } from "../src/demo.ts";
import { createEngine, type Engine } from "../src/engine.ts";
import { silentLogger } from "../src/logger.ts";

/** An engine on a fresh database with no principals (createTestEngine adds an administrator of its own). */
interface Fresh {
  db: TestDatabase;
  engine: Engine;
  close(): Promise<void>;
}

async function freshEngine(): Promise<Fresh> {
  const db = await createTestDatabase();
  return { db, engine: createEngine({ db, logger: silentLogger }), close: () => db.drop() };
}


describe("ensureAdmin", () => {
  let t: Fresh;
  beforeAll(async () => {
    t = await freshEngine();
  });
  afterAll(() => t?.close());

  it("creates user:admin with a generated password once, which signs in with every scope", async () => {
    const first = await ensureAdmin(t.engine);
    expect(first).toMatchObject({ created: true, login: "admin" });
    expect(first.password).toMatch(/^[0-9A-Za-z]{20}$/);
    const admin = await t.engine.access.principals.get("user:admin");
    expect(admin).toMatchObject({ kind: "user", displayName: FIRST_ADMIN.displayName, scopes: ["assume:admin"], createdBy: "system:first-run" });
    const { caller } = await t.engine.access.credentials.signIn("admin", first.password!, null);
    expect(caller.scopes.satisfies("queues:manage:anything/at-all")).toBe(true);

    expect(await ensureAdmin(t.engine)).toEqual({ created: false, login: "admin" });
    expect(await ensureAdmin(t.engine, { password: "another-password" })).toEqual({ created: false, login: "admin" });
    expect((await t.engine.access.principals.list()).map((p) => p.id)).toEqual(["user:admin"]);
  });

  it("does nothing while anybody else holds *, and leaves a demoted user:admin alone", async () => {
    await t.engine.access.principals.update("user:admin", { scopes: [] }, "user:tester");
    await t.engine.access.principals.create({ kind: "user", name: "root", password: "root-password-1", scopes: ["*"], by: "test" });
    expect(await ensureAdmin(t.engine)).toEqual({ created: false, login: "admin" });
    await t.engine.access.principals.update("user:root", { disabled: true }, "user:tester");
    // nobody enabled holds *, but user:admin exists: not recreated, not re-granted
    expect(await ensureAdmin(t.engine)).toEqual({ created: false, login: "admin" });
    expect((await t.engine.access.principals.get("user:admin")).scopes).toEqual([]);
  });
});

describe("ensureAdmin with a given password", () => {
  let t: Fresh;
  beforeAll(async () => {
    t = await freshEngine();
  });
  afterAll(() => t?.close());

  it("uses it and does not hand it back; two racing first runs create one admin", async () => {
    const both = await Promise.all([ensureAdmin(t.engine, { password: "the-chosen-one" }), ensureAdmin(t.engine, { password: "the-chosen-one" })]);
    expect(both.map((r) => r.created).sort()).toEqual([false, true]);
    for (const r of both) expect(r.password).toBeUndefined();
    await expect(t.engine.access.credentials.signIn("admin", "the-chosen-one", null)).resolves.toMatchObject({ caller: { id: "user:admin" } });
  });

  it("refuses a password shorter than the minimum", async () => {
    const fresh = await freshEngine();
    try {
      await expect(ensureAdmin(fresh.engine, { password: "short" })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    } finally {
      await fresh.close();
    }
  });
});

describe("demo principals", () => {
  let t: Fresh;
  beforeAll(async () => {
    t = await freshEngine();
  });
  afterAll(() => t?.close());

  it("load with the demo: each user signs in with its printed password and holds its demo role", async () => {
    expect(await loadDemoData(t.engine)).toBe(true);
    for (const u of DEMO_USERS) {
      expect(u.password.length).toBeGreaterThanOrEqual(12);
      const { caller } = await t.engine.access.credentials.signIn(u.login, u.password, "test");
      expect(caller).toMatchObject({ id: `user:${u.login}`, kind: "user", displayName: u.displayName });
      expect((await t.engine.access.principals.get(caller.id)).scopes).toEqual([`assume:project:demo:${u.role}`]);
    }
    for (const s of DEMO_SERVICE_ACCOUNTS) {
      expect(await t.engine.access.principals.get(`service:${s.name}`)).toMatchObject({ kind: "service", hasPassword: false, scopes: s.scopes });
    }
    // the demo's queues are in its project, where those roles apply
    for (const name of ["email_send", "thumbnails", "nightly_reports", "audit_log", "billing_sync"]) {
      expect(await t.engine.access.projects.queue(name), name).toBe("demo");
    }
    // the demo makes nobody an administrator: the first run still creates one
    expect((await ensureAdmin(t.engine)).created).toBe(true);
  });
});

describe("session cookie", () => {
  it("is HttpOnly, SameSite=Lax, for the whole site, Secure on https", () => {
    expect(sessionCookie("s3cret", 43_200, { secure: false })).toBe("hourglass_session=s3cret; HttpOnly; SameSite=Lax; Path=/; Max-Age=43200");
    expect(sessionCookie("s3cret", 43_200, { secure: true })).toMatch(/; Secure$/);
    expect(clearedSessionCookie({ secure: false })).toBe("hourglass_session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0");
  });

  it("is read from a Cookie header among others", () => {
    expect(readSessionCookie(`a=1; ${SESSION_COOKIE}=abc_-9; b=2`)).toBe("abc_-9");
    expect(readSessionCookie(`${SESSION_COOKIE}=abc`)).toBe("abc");
    for (const header of [null, undefined, "", "a=1", `${SESSION_COOKIE}=`, `x${SESSION_COOKIE}=abc`]) expect(readSessionCookie(header)).toBeNull();
  });
});
