// Roles and bindings declared in the access config file: applied as a whole,
// effective at the next authentication, replaced when the file changes, kept
// when the file breaks, and never touching roles made in the dashboard.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncAccessConfig } from "../src/access/host/access-config.ts";
import { Authenticator } from "../src/access/host/credentials.ts";
import { RoleStore } from "../src/access/host/role-store.ts";
import { createTestEngine, testCaller, type TestEngine } from "../src/testing.ts";

let t: TestEngine;
const dir = mkdtempSync(join(tmpdir(), "hourglass-access-config-"));
const file = join(dir, "access.yaml");
let token = "";

beforeAll(async () => {
  t = await createTestEngine();
  await t.engine.access.principals.create({ kind: "user", name: "erin", scopes: [], by: "test" });
  token = (await t.engine.access.credentials.createToken(testCaller("test"), { principalId: "user:erin", name: "e", scopes: ["*"] })).token;
  await t.engine.access.roles.put({ id: "made-in-dashboard", description: "", scopes: ["queues:read:x/*"] }, "user:admin");
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Scopes as a fresh process would see them (no cached caller, no cached roles). */
async function scopesOfErin(): Promise<string[]> {
  const auth = new Authenticator(t.engine.ctx, new RoleStore(t.engine.ctx));
  return (await auth.authenticate({ bearer: token })).scopes.normalized();
}

describe("the access config file", () => {
  it("binds a principal to a declared role, and the binding follows the file", async () => {
    expect(await scopesOfErin()).toEqual([]);
    writeFileSync(file, `roles:\n  - id: ops\n    scopes: [assume:project:demo:reader, "queues:manage:demo/*"]\n`
      + `bindings:\n  - principal: user:erin\n    roles: [ops]\n    scopes: ["scheduler:trigger:demo/nightly"]\n`);
    expect(await syncAccessConfig(t.engine.ctx, file)).toEqual({ errors: [], roles: 1, bindings: 1 });
    const scopes = await scopesOfErin();
    expect(scopes).toEqual(expect.arrayContaining(["assume:ops", "queues:manage:demo/*", "queues:read:demo/*", "scheduler:trigger:demo/nightly"]));
    // the file drops the binding and the role: both go, the dashboard's role stays
    writeFileSync(file, "roles: []\nbindings: []\n");
    await syncAccessConfig(t.engine.ctx, file);
    expect(await scopesOfErin()).toEqual([]);
    expect((await t.engine.access.roles.list()).map((r) => r.id)).toEqual(["made-in-dashboard"]);
  });

  it("a file with errors changes nothing and says what is wrong", async () => {
    writeFileSync(file, "bindings:\n  - principal: user:erin\n    scopes: [assume:project:demo:owner]\n");
    await syncAccessConfig(t.engine.ctx, file);
    writeFileSync(file, "roles:\n  - id: project:demo:reader\n    scopes: [\"*\"]\nbindings:\n  - principal: nobody\n");
    const r = await syncAccessConfig(t.engine.ctx, file);
    expect(r.errors.join("\n")).toMatch(/bindings\.0\.principal: a principal is user:<login> or service:<name>/);
    expect(await scopesOfErin()).toContain("queues:manage:demo/*"); // the last good file still applies
  });
});
