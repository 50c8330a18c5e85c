// updateQueue changes only what it names: settings left out stay, and an
// executor patch merges into the current executor, so a change of URL or
// timeout keeps the Authorization header (the Settings dialog once erased it).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maskExecutor, SECRET_MASK } from "../src/executors/secrets.ts";
import { createTestEngine, type TestEngine } from "../src/testing.ts";

let t: TestEngine;
beforeAll(async () => {
  t = await createTestEngine();
});
afterAll(async () => {
  await t?.close();
});

const HOOK = {
  kind: "http" as const, method: "PUT" as const, url: "https://hooks.example/a",
  headers: { Authorization: "Bearer s3cret", "X-Team": "ops" }, body: "{\"ping\":1}", timeoutMillis: 5000, retryDelayMillis: 250,
};

/** What the API shows of HOOK: header values are write-only. */
const SHOWN = maskExecutor(HOOK);

/** The executor as stored (secrets included), which no API call returns. */
async function stored(name: string) {
  return (await t.db.sql.query<{ executor: any }>(`SELECT executor FROM queue WHERE name = $1`, [name])).rows[0]!.executor;
}

async function update(name: string, settings: unknown) {
  const r = await t.mutate("queues.updateQueue", { name, settings });
  if (r.error) throw new Error(JSON.stringify(r.error));
  return r.data;
}

describe("updateQueue", () => {
  beforeAll(async () => {
    await t.api.queues.createQueue({ name: "q_hook", claimTimeoutMillis: 30_000, succeededRetentionMillis: 60_000, executor: HOOK });
  });

  it("leaves the executor and other settings alone when they are not named", async () => {
    const q = await update("q_hook", { claimTimeoutMillis: 45_000 });
    expect(q).toMatchObject({ claimTimeoutMillis: 45_000, succeededRetentionMillis: 60_000, executor: SHOWN });
    expect(await stored("q_hook")).toEqual(HOOK);
  });

  it("merges an executor patch: named fields change, the headers and body stay", async () => {
    const q = await update("q_hook", { executor: { url: "https://hooks.example/b", timeoutMillis: 9000 } });
    expect(q.executor).toEqual({ ...SHOWN, url: "https://hooks.example/b", timeoutMillis: 9000 });
    expect((await t.api.queues.getQueue({ name: "q_hook" })).executor).toEqual(q.executor);
    expect(await stored("q_hook")).toEqual({ ...HOOK, url: "https://hooks.example/b", timeoutMillis: 9000 });
  });

  it("never returns a secret, and a masked value written back keeps the stored one", async () => {
    const q = await t.api.queues.getQueue({ name: "q_hook" });
    expect(JSON.stringify(q)).not.toContain("s3cret");
    expect(JSON.stringify(await t.api.queues.getQueueSummaries())).not.toContain("s3cret");
    expect(q.executor).toMatchObject({ headers: { Authorization: SECRET_MASK, "X-Team": SECRET_MASK } });
    // a client that saves what it read (headers with masks) and adds one header loses nothing
    await update("q_hook", { executor: { headers: { ...(q.executor as { headers: Record<string, string> }).headers, "X-New": "1" } } });
    expect((await stored("q_hook")).headers).toEqual({ ...HOOK.headers, "X-New": "1" });
    await update("q_hook", { executor: { headers: HOOK.headers } });
  });

  it("replaces a named map whole and removes a field set to null", async () => {
    let q = await update("q_hook", { executor: { headers: { Authorization: "Bearer n3w" } } });
    expect(q.executor.headers).toEqual({ Authorization: SECRET_MASK });
    expect((await stored("q_hook")).headers).toEqual({ Authorization: "Bearer n3w" });
    expect(q.executor.body).toBe(HOOK.body);
    q = await update("q_hook", { executor: { body: null, kind: "http" } });
    expect(q.executor).not.toHaveProperty("body");
    expect((await stored("q_hook")).headers).toEqual({ Authorization: "Bearer n3w" });
  });

  it("starts a new executor when the kind changes, with that kind's defaults", async () => {
    const q = await update("q_hook", { executor: { kind: "shell", command: "true" } });
    expect(q.executor).toEqual({ kind: "shell", command: "true", args: [], env: {}, timeoutMillis: 60_000, retryDelayMillis: 1000 });
    const env = await update("q_hook", { executor: { env: { TOKEN: "t" } } });
    expect(env.executor).toMatchObject({ command: "true", env: { TOKEN: SECRET_MASK } });
    expect((await stored("q_hook")).env).toEqual({ TOKEN: "t" });
  });

  it("rejects a patch that does not make a valid executor, naming the field, and changes nothing", async () => {
    const before = await t.api.queues.getQueue({ name: "q_hook" });
    const missing = await t.mutate("queues.updateQueue", { name: "q_hook", settings: { claimTimeoutMillis: 2000, executor: { kind: "http" } } });
    expect(missing.status).toBe(400);
    expect(missing.error.data.errorCode).toBe("INVALID_ARGUMENT");
    expect(missing.error.message).toMatch(/^settings\.executor\.url: /);
    const unknown = await t.mutate("queues.updateQueue", { name: "q_hook", settings: { executor: { url: "https://x.example" } } });
    expect(unknown.status).toBe(400);
    expect(unknown.error.message).toMatch(/settings\.executor\.url: not a setting of the shell executor/);
    const bad = await t.mutate("queues.updateQueue", { name: "q_hook", settings: { executor: { timeoutMillis: -1 } } });
    expect(bad.error.message).toMatch(/^settings\.executor\.timeoutMillis: /);
    expect(await t.api.queues.getQueue({ name: "q_hook" })).toEqual(before);
  });

  it("a queue without an executor needs the kind to get one; null removes it", async () => {
    await t.api.queues.createQueue({ name: "q_plain" });
    const r = await t.mutate("queues.updateQueue", { name: "q_plain", settings: { executor: { command: "true" } } });
    expect(r.status).toBe(400);
    expect(r.error.message).toMatch(/settings\.executor\.kind: the queue has no executor/);
    expect((await update("q_plain", { executor: { kind: "noop" } })).executor).toEqual({ kind: "noop", retryDelayMillis: 1000 });
    expect((await update("q_plain", { executor: null })).executor).toBeNull();
  });

  it("keeps both of two concurrent changes", async () => {
    await t.api.queues.createQueue({ name: "q_race", executor: HOOK });
    await Promise.all([
      update("q_race", { executor: { url: "https://hooks.example/race" } }),
      update("q_race", { executor: { timeoutMillis: 7000 } }),
      update("q_race", { failedRetentionMillis: 1000 }),
    ]);
    const q = await t.api.queues.getQueue({ name: "q_race" });
    expect(q).toMatchObject({ failedRetentionMillis: 1000, executor: { ...SHOWN, url: "https://hooks.example/race", timeoutMillis: 7000 } });
  });
});
