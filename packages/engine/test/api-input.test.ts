// Bad input over the real HTTP protocol gets a 4xx naming the field and
// writes nothing; each case here was a 500 (or was silently accepted) once.
// api-fuzz.test.ts looks for more of the same across every procedure.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_INPUT_DEPTH, MAX_INPUT_NODES } from "../src/api/input-guard.ts";
import { DEFAULT_MAX_REQUEST_BYTES, handleApiRequest } from "../src/api/index.ts";
import {
  callRaw, createApiFixture, databaseFingerprint, JOB, QUEUE, type ApiFixture, type Via,
} from "./api-fixtures.ts";

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
});
afterAll(async () => {
  await f?.close();
});

const NUL = "contains a NUL byte (U+0000), which PostgreSQL text cannot store";
const BIG_ID = "9999999999999999999"; // 19 digits, above 9223372036854775807
const b64 = (s: string) => Buffer.from(s).toString("base64url");

/** Sends `input` (an object, or raw JSON text); the answer must be a 400 naming `path`, with nothing written. */
async function rejects(procedure: string, via: Via, input: unknown, path: string, message?: RegExp | string) {
  const before = await databaseFingerprint(f.t);
  const r = await callRaw(f.t, procedure, via, typeof input === "string" ? input : JSON.stringify(input));
  expect(r.status, JSON.stringify(r.json)).toBe(400);
  const error = r.json.error;
  expect(error.message.startsWith(`${path}: `), error.message).toBe(true);
  if (message !== undefined) expect(error.message).toMatch(message);
  expect(error.data.issues[0].path).toBe(path);
  expect(await databaseFingerprint(f.t)).toBe(before);
  return error;
}

describe("a NUL byte in a text field", () => {
  const d = () => f.descriptors[0]!;
  const trigger = (t: object) => ({ batches: [{ trigger: { id: "t1", ...t }, jobs: [JOB] }] });
  const cases: [string, string, Via, () => unknown][] = [
    ["queues.enqueueJobs", "jobs.0.body", "POST", () => ({ queueName: QUEUE, jobs: [{ body: "a\u0000b" }] })],
    ["queues.enqueueJobs", "jobs.0.customStatus", "POST",
      () => ({ queueName: QUEUE, jobs: [{ body: "a", customStatus: "\u0000" }] })],
    ["queues.ackDequeuedJobs", "jobsSucceeded.0.appendCustomStatus", "POST",
      () => ({ queueName: QUEUE, jobsSucceeded: [{ jobDescriptor: d(), appendCustomStatus: "\u0000" }] })],
    ["queues.checkpointJobs", "requests.0.newBody", "POST",
      () => ({ queueName: QUEUE, requests: [{ jobDescriptor: d(), newBody: "\u0000" }] })],
    ["queues.getJobCount", "bodyRegexToMatch", "GET",
      () => ({ queueName: QUEUE, jobState: "PENDING", bodyRegexToMatch: "a\u0000" })],
    ["scheduler.getJobs", "project", "GET", () => ({ project: "fuzz\u0000" })],
    ["scheduler.getJobs", "cursor", "GET", () => ({ cursor: "\u0000" })],
    ["scheduler.pauseJob", "reason", "POST", () => ({ job: JOB, reason: "because\u0000" })],
    ["scheduler.emitTriggers", "batches.0.trigger.id", "POST", () => trigger({ id: "t\u0000" })],
    ["scheduler.emitTriggers", "batches.0.trigger.title", "POST", () => trigger({ title: "\u0000" })],
    ["scheduler.emitTriggers", "batches.0.trigger.url", "POST", () => trigger({ url: "https://x.test/\u0000" })],
    ["scheduler.triggerJob", "title", "POST", () => ({ job: JOB, title: "\u0000" })],
    ["requests.find", "type", "GET", () => ({ type: "deploy-app\u0000" })],
    ["requests.find", "user", "GET", () => ({ user: "\u0000" })],
  ];
  it.each(cases)("%s: %s", async (procedure, path, via, input) => {
    const error = await rejects(procedure, via, input(), path);
    expect(error.message).toBe(`${path}: ${NUL}`);
    expect(error.data.errorCode).toBe("INVALID_ARGUMENT");
  });
});

describe("JSON values PostgreSQL cannot store", () => {
  it("rejects a NUL or a lone surrogate in request args", async () => {
    await rejects("requests.create", "POST", { type: "deploy-app", args: { app: "a\u0000" } }, "args.app", NUL);
    const e = await rejects("requests.create", "POST", { type: "deploy-app", args: { app: "\ud800" } }, "args.app");
    expect(e.message).toBe(
      "args.app: contains a lone surrogate (U+D800), which is not Unicode text and cannot be stored");
    await rejects("requests.find", "GET", { args: { app: "\u0000" } }, "args.app", NUL);
  });

  it("rejects them in trigger tags, properties and property names", async () => {
    const emit = (trigger: object) => ({ batches: [{ trigger: { id: "t1", ...trigger }, jobs: [JOB] }] });
    const at = "batches.0.trigger";
    await rejects("scheduler.emitTriggers", "POST", emit({ tags: ["\u0000"] }), `${at}.tags.0`, NUL);
    await rejects("scheduler.emitTriggers", "POST", emit({ properties: { k: "x\udc00" } }), `${at}.properties.k`,
      /lone surrogate \(U\+DC00\)/);
    const badKey = emit({ properties: { "a\u0000": 1 } });
    const key = await rejects("scheduler.emitTriggers", "POST", badKey, `${at}.properties`);
    expect(key.message).toBe(`${at}.properties: has a key that ${NUL}`);
  });

  it("rejects a lone surrogate in a job body instead of storing U+FFFD, and keeps a pair", async () => {
    await rejects("queues.enqueueJobs", "POST", { queueName: QUEUE, jobs: [{ body: "x\ud83d" }] }, "jobs.0.body",
      /lone surrogate \(U\+D83D\)/);
    const ok = await f.t.mutate("queues.enqueueJobs", { queueName: QUEUE, jobs: [{ body: "x\ud83d\ude00" }] });
    const d = ok.data.jobDescriptors[0];
    expect((await f.t.query("queues.getJobDetails", { jobDescriptor: d })).data.body).toBe("x\u{1F600}");
    await f.t.mutate("queues.deleteJobs", { queueName: QUEUE, jobState: "PENDING", bodyRegexToMatch: "^x" });
  });
});

describe("ids above the bigint range", () => {
  const big = `${QUEUE}:${BIG_ID}`;

  it("rejects job descriptors whose id is over 9223372036854775807", async () => {
    const e = await rejects("queues.getJobDetails", "GET", { jobDescriptor: big }, "jobDescriptor",
      /above 9223372036854775807/);
    expect(e.data.errorCode).toBe("INVALID_ARGUMENT");
    await rejects("queues.lookupJobs", "GET", { jobDescriptors: [f.descriptors[0], big] }, "jobDescriptors.1");
    await rejects("queues.ackDequeuedJobs", "POST", { queueName: QUEUE, jobsFailed: [{ jobDescriptor: big }] },
      "jobsFailed.0.jobDescriptor");
    await rejects("queues.checkpointJobs", "POST", { queueName: QUEUE, requests: [{ jobDescriptor: big }] },
      "requests.0.jobDescriptor");
  });

  it("still takes the largest id", async () => {
    const max = `${QUEUE}:9223372036854775807`;
    expect((await f.t.query("queues.getJobDetails", { jobDescriptor: max })).status).toBe(404);
    expect((await f.t.query("queues.lookupJobs", { jobDescriptors: [max] })).data).toEqual({});
  });

  it("rejects a scanJobs continuation with such an id", async () => {
    const input = { queueName: QUEUE, jobState: "PENDING", continuation: b64(`0:${BIG_ID}`) };
    const e = await rejects("queues.scanJobs", "GET", input, "continuation");
    expect(e.data.errorCode).toBe("CONTINUATION_INVALID");
  });

  it("rejects invocation ids and getInvocations cursors over the range", async () => {
    await rejects("scheduler.getInvocations", "GET", { job: JOB, cursor: BIG_ID }, "cursor",
      /not one getInvocations returned/);
    await rejects("scheduler.getInvocation", "GET", { job: JOB, invocationId: BIG_ID }, "invocationId");
    await rejects("scheduler.abortInvocation", "POST", { job: JOB, invocationId: BIG_ID }, "invocationId");
    const max = await f.t.query("scheduler.getInvocation", { job: JOB, invocationId: "9223372036854775807" });
    expect(max.status).toBe(404);
  });
});

describe("timestamps no Date or timestamptz holds", () => {
  it("bounds requests.find since / until to year 9999", async () => {
    await rejects("requests.find", "GET", { since: 9007199254740991 }, "since", /end of year 9999/);
    await rejects("requests.find", "GET", { until: 253402300800000 }, "until");
    expect((await f.t.query("requests.find", { since: 0, until: 253402300799999 })).status).toBe(200);
  });

  it("rejects a scanJobs continuation that decodes to a huge time", async () => {
    for (const time of ["9999999999999999", "-9999999999999999", "8640000000000001"]) {
      const input = { queueName: QUEUE, jobState: "PENDING", continuation: b64(`${time}:1`) };
      const e = await rejects("queues.scanJobs", "GET", input, "continuation");
      expect(e.data.errorCode).toBe("CONTINUATION_INVALID");
    }
    const valid = { queueName: QUEUE, jobState: "PENDING", continuation: f.continuation };
    expect((await f.t.query("queues.scanJobs", valid)).status).toBe(200);
  });

  it("bounds run-after times, retry delays and trigger timestamps", async () => {
    const enqueue = { queueName: QUEUE, jobs: [{ body: "x", runAfterTimestampMillis: 8.64e15 }] };
    await rejects("queues.enqueueJobs", "POST", enqueue, "jobs.0.runAfterTimestampMillis");
    const ack = { queueName: QUEUE, jobsFailed: [{ jobDescriptor: f.descriptors[0], retryDelayMillis: 8.64e15 }] };
    await rejects("queues.ackDequeuedJobs", "POST", ack, "jobsFailed.0.retryDelayMillis", /100 years/);
    const emit = { batches: [{ trigger: { id: "t1" }, jobs: [JOB] }], timestamp: 8.64e15 };
    await rejects("scheduler.emitTriggers", "POST", emit, "timestamp");
  });
});

describe("deep and large JSON", () => {
  const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
  const emit = (id: string, properties: string) =>
    `{"batches":[{"trigger":{"id":"${id}","properties":${properties}},"jobs":["${JOB}"]}]}`;

  it("rejects trigger properties nested 5,000 deep", async () => {
    const path = ["batches", "0", "trigger", "properties", ...Array(MAX_INPUT_DEPTH - 4).fill("a")].join(".");
    const e = await rejects("scheduler.emitTriggers", "POST", emit("t1", nested(5000)), path,
      `nests deeper than ${MAX_INPUT_DEPTH} levels`);
    expect(e.data.errorCode).toBe("INVALID_ARGUMENT");
  });

  it("takes JSON nested up to the limit", async () => {
    // the input object, batches, a batch, trigger and properties are 5 of the 32 levels
    const r = await callRaw(f.t, "scheduler.emitTriggers", "POST", emit("deep-ok", nested(MAX_INPUT_DEPTH - 5)));
    expect(r.status, JSON.stringify(r.json)).toBe(200);
  });

  it("rejects an input of more values than the limit", async () => {
    const input = JSON.stringify({ jobDescriptors: Array(MAX_INPUT_NODES).fill(1) });
    const before = await databaseFingerprint(f.t);
    const r = await callRaw(f.t, "queues.lookupJobs", "POST", input);
    expect(r.status).toBe(400);
    expect(r.json.error.message).toBe(`the input has more than ${MAX_INPUT_NODES} values`);
    expect(await databaseFingerprint(f.t)).toBe(before);
  });
});

describe("request size", () => {
  const post = (body: string | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
    new Request(`http://127.0.0.1/api/trpc/queues.enqueueJobs`, {
      method: "POST", body, headers: { "content-type": "application/json", authorization: `Bearer ${f.t.token}`, ...headers }, duplex: "half",
    } as RequestInit);
  const input = (bytes: number) => JSON.stringify({ queueName: QUEUE, jobs: [{ body: "x".repeat(bytes) }] });
  const stream = (text: string) => new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < text.length; i += 1000) c.enqueue(new TextEncoder().encode(text.slice(i, i + 1000)));
      c.close();
    },
  });

  it("answers 413 with a JSON error over the default 16 MiB", async () => {
    expect(DEFAULT_MAX_REQUEST_BYTES).toBe(16 * 1024 * 1024);
    const before = await databaseFingerprint(f.t);
    const res = await handleApiRequest(post(input(DEFAULT_MAX_REQUEST_BYTES)), f.t.engine);
    expect(res.status).toBe(413);
    const json = (await res.json()) as any;
    expect(json.error.message).toMatch(/larger than 16777216 bytes/);
    expect(json.error.data).toMatchObject({
      code: "PAYLOAD_TOO_LARGE", httpStatus: 413, errorCode: "REQUEST_TOO_LARGE",
    });
    expect(await databaseFingerprint(f.t)).toBe(before);
  });

  it("counts a streamed body, whatever Content-Length says", async () => {
    const options = { maxRequestBytes: 4096 };
    const status = async (req: Request) => (await handleApiRequest(req, f.t.engine, options)).status;
    expect(await status(post(stream(input(5000))))).toBe(413);
    expect(await status(post(input(5000), { "content-length": "10" }))).toBe(413);
    expect(await status(post(input(10), { "content-length": "999999" }))).toBe(413);
    expect(await status(post(stream(input(3000))))).toBe(200);
    await f.t.mutate("queues.deleteJobs", { queueName: QUEUE, jobState: "PENDING", bodyRegexToMatch: "^x" });
  });
});

describe("http executor headers", () => {
  const executor = (headers: Record<string, string>) => ({ kind: "http", url: "https://x.test/hook", headers });
  const queue = (headers: Record<string, string>) => ({ name: "q_headers", executor: executor(headers) });

  it("rejects CR / LF in a value and a name that is not a token", async () => {
    const injected = queue({ "x-a": "1\r\nInjected: yes" });
    await rejects("queues.createQueue", "POST", injected, "executor.headers.x-a", /CR, LF/);
    await rejects("queues.createQueue", "POST", queue({ "bad name": "1" }), "executor.headers.bad name", /token/);
    await rejects("queues.createQueue", "POST", queue({ "": "1" }), "executor.headers.", /token/);
    const update = { name: QUEUE, settings: { executor: executor({ x: "\u0100" }) } };
    await rejects("queues.updateQueue", "POST", update, "settings.executor.headers.x");
  });

  it("takes ordinary headers", async () => {
    const r = await f.t.mutate("queues.createQueue", queue({ authorization: "Bearer abc", "x-trace": "a\tb ü" }));
    expect(r.status, JSON.stringify(r.error)).toBe(200);
    await f.t.mutate("queues.deleteQueue", { name: "q_headers" });
  });
});

describe("queries POSTed with a JSON body (method override)", () => {
  it("looks up 1,000 descriptors, which no GET URL could carry", async () => {
    const jobs = Array.from({ length: 1000 }, (_, i) => ({ body: `many-${i}` }));
    const { jobDescriptors } = (await f.t.mutate("queues.enqueueJobs", { queueName: QUEUE, jobs })).data;
    const input = JSON.stringify({ jobDescriptors });
    // Node's HTTP server refuses request heads over 16 KiB with 431
    expect(`/api/trpc/queues.lookupJobs?input=${encodeURIComponent(input)}`.length).toBeGreaterThan(16 * 1024);
    const r = await callRaw(f.t, "queues.lookupJobs", "POST", input);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(Object.keys(r.json.result.data)).toHaveLength(1000);
    await f.t.mutate("queues.deleteJobs", { queueName: QUEUE, jobState: "PENDING", bodyRegexToMatch: "^many-" });
  });

  it("still refuses a GET to a mutation", async () => {
    expect((await callRaw(f.t, "queues.deleteQueue", "GET", JSON.stringify({ name: QUEUE }))).status).toBe(405);
  });
});
