// The request guard: a foreign Host (DNS rebinding), a cross-site write and a
// non-JSON API body are refused before any procedure runs; the rest pass.
import { describe, expect, it } from "vitest";
import { checkRequest, hostAllowed } from "../src/api/request-guard.ts";
import { createTestEngine } from "../src/testing.ts";
import { handleApiRequest } from "../src/api/http.ts";

const policy = { allowedHosts: ["hourglass.example.com", "ops.example.com:8443"] };
const post = (url: string, headers: Record<string, string>, body = "{}") =>
  new Request(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

describe("hostAllowed", () => {
  it("allows loopback on any port and the configured hosts, nothing else", () => {
    for (const h of ["127.0.0.1:3000", "localhost", "LOCALHOST:1", "[::1]:3000", "hourglass.example.com", "hourglass.example.com:443", "ops.example.com:8443"]) {
      expect(hostAllowed(h, policy), h).toBe(true);
    }
    for (const h of ["rebind.evil.example", "rebind.evil.example:3000", "ops.example.com:80", "127.0.0.1.evil.example", "", "evil.example.com"]) {
      expect(hostAllowed(h, policy), h).toBe(false);
    }
  });
});

describe("checkRequest", () => {
  it("refuses a foreign Host, even for reads", async () => {
    const r = checkRequest(new Request("http://rebind.evil.example:3000/api/trpc/queues.getQueueNames"), policy)!;
    expect(r.status).toBe(403);
    expect(((await r.json()) as { error: { data: { errorCode: string } } }).error.data.errorCode).toBe("HOST_NOT_ALLOWED");
  });

  it("refuses writes from another origin or a cross-site page, and lets programs (no Origin) write", () => {
    const url = "http://127.0.0.1:3000/api/trpc/queues.createQueue";
    expect(checkRequest(post(url, { origin: "https://evil.example" }), policy, { apiCall: true })!.status).toBe(403);
    expect(checkRequest(post(url, { origin: "null" }), policy, { apiCall: true })!.status).toBe(403);
    expect(checkRequest(post(url, { "sec-fetch-site": "cross-site" }), policy, { apiCall: true })!.status).toBe(403);
    expect(checkRequest(post(url, { origin: "http://127.0.0.1:3000" }), policy, { apiCall: true })).toBeNull();
    expect(checkRequest(post(url, {}), policy, { apiCall: true })).toBeNull();
  });

  it("refuses API writes that are not JSON (form posts need no preflight)", () => {
    const url = "http://127.0.0.1:3000/api/trpc/queues.createQueue";
    for (const type of ["multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "text/plain", ""]) {
      const req = new Request(url, { method: "POST", headers: type ? { "content-type": type } : {}, body: "name=x" });
      expect(checkRequest(req, policy, { apiCall: true })?.status, type).toBe(415);
    }
    expect(checkRequest(post(url, {}, "{}"), policy, { apiCall: true })).toBeNull();
  });
});

describe("the API behind the guard", () => {
  it("a rebinding page cannot read or write, a multipart post writes nothing, a batch is bounded", async () => {
    const t = await createTestEngine();
    try {
      const foreign = await handleApiRequest(new Request("http://rebind.evil.example/api/trpc/queues.getQueueNames"), t.engine);
      expect(foreign.status).toBe(403);
      const form = new FormData();
      form.set("name", "from_a_form");
      const multipart = await handleApiRequest(new Request("http://127.0.0.1/api/trpc/queues.createQueue", { method: "POST", body: form }), t.engine);
      expect(multipart.status).toBe(415);
      expect(await t.api.queues.getQueueNames()).not.toContain("from_a_form");
      const names = Array.from({ length: 26 }, () => "queues.getQueueNames").join(",");
      const headers = { authorization: `Bearer ${t.token}` };
      const batch = await handleApiRequest(new Request(`http://127.0.0.1/api/trpc/${names}?batch=1&input={}`, { headers }), t.engine);
      expect(batch.status).toBe(400);
      const small = await handleApiRequest(new Request(`http://127.0.0.1/api/trpc/queues.getQueueNames,queues.getQueueNames?batch=1&input={}`, { headers }), t.engine);
      expect(small.status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
