// `pnpm bench:client`: what @hourglass/client adds to a call over raw fetch.
// On a fresh database of the test server, the real API handler behind
// node:http on 127.0.0.1; calls alternate (raw, client, raw, client…) so both
// see the same machine. Measured: getQueue (a query: GET ?input=) and
// enqueueJobs of one job (a mutation: POST), each raw (fetch, JSON.parse,
// result.data) and through the client; and the client alone against a fetch
// that answers at once from memory, which is its own cost without the network
// and the server. Hold `flock /tmp/hourglass-bench.lock` while it runs.
//
// Options: --calls N (2000)
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { createTestDatabase } from "@hourglass/db/testing";
import { createEngine, silentLogger } from "@hourglass/engine";
import { handleApiRequest } from "@hourglass/engine/api";
import { testCaller } from "../../packages/engine/src/testing.ts";
import { createHourglassClient } from "../../packages/client/src/index.ts";

const { values } = parseArgs({ options: { calls: { type: "string", default: "2000" } } });
const CALLS = Number(values.calls);

const db = await createTestDatabase();
const engine = createEngine({ db, logger: silentLogger });
await engine.internal.queues.createQueue(testCaller("bench"), { name: "q_bench", project: "default" });
await engine.access.principals.create({ kind: "user", name: "bench", scopes: ["*"], by: "bench" });
const { token } = await engine.access.credentials.createToken(testCaller("bench"),
  { principalId: "user:bench", name: "b", scopes: ["*"] });

const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const request = new Request(`http://127.0.0.1${req.url}`, {
    method: req.method, headers: req.headers as Record<string, string>, body: req.method === "GET" ? undefined : Buffer.concat(chunks),
  });
  const response = await handleApiRequest(request, engine);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
});
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const auth = { authorization: `Bearer ${token}` };

const hg = createHourglassClient({ url: base, token });
const rawQuery = async () => {
  const input = encodeURIComponent(JSON.stringify({ name: "q_bench" }));
  const res = await fetch(`${base}/api/trpc/queues.getQueue?input=${input}`, { headers: auth });
  return (JSON.parse(await res.text()) as { result: { data: unknown } }).result.data;
};
const job = { queueName: "q_bench", jobs: [{ body: "x" }] };
const rawMutation = async () => {
  const res = await fetch(`${base}/api/trpc/queues.enqueueJobs`, {
    method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify(job),
  });
  return (JSON.parse(await res.text()) as { result: { data: unknown } }).result.data;
};

// The same answer every time, from memory: what remains is the caller's own work.
const canned = JSON.stringify({ result: { data: await rawQuery() } });
const memoryFetch = (async () => new Response(canned, { headers: { "content-type": "application/json" } })) as typeof fetch;
const offline = createHourglassClient({ url: base, token, fetch: memoryFetch });
const rawOffline = async () => {
  const input = encodeURIComponent(JSON.stringify({ name: "q_bench" }));
  const res = await memoryFetch(`${base}/api/trpc/queues.getQueue?input=${input}`, { headers: auth });
  return (JSON.parse(await res.text()) as { result: { data: unknown } }).result.data;
};

interface Stats { p50: number; p95: number; mean: number }
function stats(ms: number[]): Stats {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p95: at(0.95), mean: ms.reduce((a, b) => a + b, 0) / ms.length };
}

/** Alternates the two, after a warm-up; returns each one's times. */
async function pair(raw: () => Promise<unknown>, client: () => Promise<unknown>): Promise<[Stats, Stats]> {
  for (let i = 0; i < 200; i++) {
    await raw();
    await client();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    let t0 = performance.now();
    await raw();
    a.push(performance.now() - t0);
    t0 = performance.now();
    await client();
    b.push(performance.now() - t0);
  }
  return [stats(a), stats(b)];
}

const rows: [string, Stats, Stats][] = [
  ["getQueue (query, GET) over HTTP", ...(await pair(rawQuery, () => hg.queues.getQueue.query({ name: "q_bench" })))],
  ["enqueueJobs, 1 job (mutation, POST) over HTTP", ...(await pair(rawMutation, () => hg.queues.enqueueJobs.mutate(job)))],
  ["getQueue against a fetch that answers from memory",
    ...(await pair(rawOffline, () => offline.queues.getQueue.query({ name: "q_bench" })))],
];

const f = (n: number) => n.toFixed(3);
console.log(`\n${CALLS} calls each, alternating; milliseconds per call\n`);
console.log("| call | raw fetch p50 / p95 / mean | client p50 / p95 / mean | client − raw, p50 / mean |");
console.log("|---|---|---|---|");
for (const [what, raw, client] of rows) {
  console.log(`| ${what} | ${f(raw.p50)} / ${f(raw.p95)} / ${f(raw.mean)} | ${f(client.p50)} / ${f(client.p95)} / ${f(client.mean)} | ` +
    `${f(client.p50 - raw.p50)} / ${f(client.mean - raw.mean)} |`);
}
await new Promise<void>((r) => server.close(() => r()));
await db.drop();
