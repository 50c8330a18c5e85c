// createHourglassClient against the real API handler (batching, POSTed
// queries, a token asked per call) and its typed errors, including answers
// that are not the API's (a proxy's 502, no answer at all).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createHourglassClient,
  ForbiddenError,
  HourglassError,
  NotFoundError,
  RateLimitedError,
  UnauthenticatedError,
  UnavailableError,
  ValidationError,
} from "../src/index.ts";
import { TRPCClientError } from "@trpc/client";
import { startApiServer } from "./api-server.ts";
import { createTestEngine, type TestEngine } from "./engine.ts";

let t: TestEngine;
let api: Awaited<ReturnType<typeof startApiServer>>;

beforeAll(async () => {
  t = await createTestEngine();
  api = await startApiServer(t);
  await t.api.queues.createQueue({ name: "c1" });
});

afterAll(async () => {
  await api?.close();
  await t?.close();
});

const failure = (p: Promise<unknown>) => p.then(() => { throw new Error("the call succeeded"); }, (e: unknown) => e);

describe("calls", () => {
  it("sends calls made together as one request when batching, and asks for the token before each", async () => {
    let asked = 0;
    let requests = 0;
    const hg = createHourglassClient({
      url: `${api.url}/`, batch: true, token: async () => (asked++, t.token),
      fetch: (url, init) => (requests++, fetch(url, init)),
    });
    const [names, count, me] = await Promise.all([
      hg.queues.getQueueNames.query(),
      hg.queues.getJobCount.query({ queueName: "c1", jobState: "PENDING" }),
      hg.access.whoami.query(),
    ]);
    expect(names).toContain("c1");
    expect(count).toEqual({ count: 0, capped: false });
    expect(me.id).toBe("user:tester");
    expect(requests).toBe(1);
    expect(asked).toBe(1);
  });

  it("POSTs queries when told to, for inputs too long for a URL", async () => {
    const methods: string[] = [];
    const hg = createHourglassClient({
      url: api.url, token: t.token, postQueries: true, fetch: (url, init) => (methods.push(init?.method ?? "GET"), fetch(url, init)),
    });
    const descriptors = Array.from({ length: 1000 }, (_, i) => `c1:${i + 1}`);
    expect(await hg.queues.lookupJobs.query({ jobDescriptors: descriptors })).toEqual({});
    expect(methods).toEqual(["POST"]);
  });
});

describe("typed errors", () => {
  const hg = () => createHourglassClient({ url: api.url, token: t.token });

  it("carries the engine's code, kind, status, issues and procedure", async () => {
    const missing = await failure(hg().queues.deleteQueue.mutate({ name: "nope" }));
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing).toBeInstanceOf(HourglassError);
    expect(missing).toBeInstanceOf(TRPCClientError);
    expect(missing).toMatchObject({ kind: "not_found", code: "QUEUE_NOT_FOUND", httpStatus: 404, procedure: "queues.deleteQueue" });

    const invalid = await failure(hg().queues.enqueueJobs.mutate({ queueName: "c1", jobs: [{ body: "x", priority: 4 }] }));
    expect(invalid).toBeInstanceOf(ValidationError);
    expect(invalid).toMatchObject({
      code: "PRIORITY_NOT_SUPPORTED",
      issues: [{ path: "jobs.0.priority", message: "priority must be 1, 2 or 3" }],
    });

    const reserved = await failure(hg().queues.createQueue.mutate({ name: "hourglass_mine" }));
    expect(reserved).toBeInstanceOf(ForbiddenError);
    expect(reserved).toMatchObject({ code: "QUEUE_RESERVED", kind: "forbidden" });

    await hg().queues.pauseQueue.mutate({ name: "c1" });
    const paused = await failure(hg().queues.dequeueJobs.mutate({ queueName: "c1", limit: 1 }));
    expect(paused).toBeInstanceOf(RateLimitedError);
    expect(paused).toMatchObject({ code: "DEQUEUE_RATE_LIMITED" });

    const revoked = await failure(createHourglassClient({ url: api.url, token: "hg_1_nope" }).queues.getQueueNames.query());
    expect(revoked).toBeInstanceOf(UnauthenticatedError);
    expect(revoked).toMatchObject({ code: "UNAUTHENTICATED", httpStatus: 401 });
  });

  it("refusals of the request guard are typed too", async () => {
    // a write from a page of another site
    const guarded = createHourglassClient({ url: api.url, token: t.token, headers: { origin: "https://evil.example" } });
    const refused = await failure(guarded.queues.createQueue.mutate({ name: "c2" }));
    expect(refused).toBeInstanceOf(ForbiddenError);
    expect(refused).toMatchObject({ code: "CROSS_SITE_REQUEST", httpStatus: 403 });
  });

  it("an answer that is not the API's, or none at all, is unavailable", async () => {
    const proxy = createHourglassClient({
      url: api.url, token: t.token, fetch: async () => new Response("<html>Bad Gateway</html>", { status: 502 }),
    });
    const bad = await failure(proxy.queues.getQueueNames.query());
    expect(bad).toBeInstanceOf(UnavailableError);
    expect(bad).toMatchObject({ code: "UNKNOWN", httpStatus: 502 });
    expect((bad as Error).message).toBe('HTTP 502: not an answer of the Hourglass API ("<html>Bad Gateway</html>")');
    const batched = createHourglassClient({
      url: api.url, token: t.token, batch: true, fetch: async () => new Response("busy", { status: 503 }),
    });
    const both = await Promise.allSettled([batched.queues.getQueueNames.query(), batched.access.whoami.query()]);
    expect(both.map((r) => r.status === "rejected" && (r.reason as HourglassError).kind)).toEqual(["unavailable", "unavailable"]);

    const gone = createHourglassClient({ url: "http://127.0.0.1:1", token: t.token });
    const down = await failure(gone.queues.getQueueNames.query());
    expect(down).toBeInstanceOf(UnavailableError);
    expect(down).toMatchObject({ code: "NETWORK_ERROR", httpStatus: undefined, kind: "unavailable", procedure: "queues.getQueueNames" });
  });
});
