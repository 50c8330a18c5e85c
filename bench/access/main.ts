// `pnpm bench:access`: what authentication and the access check add to an API
// call. On a fresh database of the test server: one queue, one token; times
// getQueue over the real HTTP handler with the token (credential cached, as
// on every call but the first of a process every 5 s), the same with the
// credential resolved from the database each time (cold), and the pieces:
// authenticate (warm / cold) and the access check of a queue resource.
//
// Options: --calls N (2000)
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { createTestDatabase } from "@hourglass/db/testing";
import { createEngine, silentLogger } from "@hourglass/engine";
import { handleApiRequest } from "@hourglass/engine/api";
import { enforceAccess } from "../../packages/engine/src/api/access-check.ts";
import { onQueue } from "../../packages/engine/src/api/access-rules.ts";
import { Authenticator } from "../../packages/engine/src/access/host/credentials.ts";
import { testCaller } from "../../packages/engine/src/testing.ts";

const { values } = parseArgs({ options: { calls: { type: "string", default: "2000" } } });
const CALLS = Number(values.calls);

const db = await createTestDatabase();
const engine = createEngine({ db, logger: silentLogger });
await engine.internal.queues.createQueue(testCaller("bench"), { name: "q_bench", project: "demo" });
await engine.access.principals.create({ kind: "user", name: "owner", scopes: ["assume:project:demo:owner"], by: "bench" });
const { token } = await engine.access.credentials.createToken(testCaller("bench"), { principalId: "user:owner", name: "b", scopes: ["*"] });
const url = `http://127.0.0.1/api/trpc/queues.getQueue?input=${encodeURIComponent(JSON.stringify({ name: "q_bench" }))}`;
const headers = { authorization: `Bearer ${token}` };

async function time(what: string, fn: () => Promise<unknown>): Promise<{ what: string; p50: number; p95: number; p99: number }> {
  for (let i = 0; i < 100; i++) await fn(); // warm-up: JIT, pool, prepared plans
  const ms: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!;
  return { what, p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

const check = onQueue("read", (i: { name: string }) => i.name);
const caller = await engine.access.credentials.authenticate({ bearer: token });
const api = (await import("@hourglass/engine/api")).createCaller({ engine, caller });
const rows = [
  await time("getQueue in-process (no HTTP, no authentication)", () => api.queues.getQueue({ name: "q_bench" })),
  await time("getQueue over HTTP with a token (credential cached)", async () => {
    const r = await handleApiRequest(new Request(url, { headers }), engine);
    if (r.status !== 200) throw new Error(`status ${r.status}`);
  }),
  await time("authenticate, credential cached", () => engine.access.credentials.authenticate({ bearer: token })),
  await time("authenticate, cold (token, principal, role expansion)", () =>
    new Authenticator(engine.ctx, engine.access.roles).authenticate({ bearer: token })),
  await time("access check of a queue (its project read + scope match)", () => enforceAccess(check, { engine, caller }, { name: "q_bench" })),
];
console.log(`\n${CALLS} calls each; milliseconds\n`);
console.log("| measure | p50 | p95 | p99 |\n|---|---|---|---|");
for (const r of rows) console.log(`| ${r.what} | ${r.p50.toFixed(3)} | ${r.p95.toFixed(3)} | ${r.p99.toFixed(3)} |`);
await db.drop();
