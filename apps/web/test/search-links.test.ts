import { describe, expect, it } from "vitest";
import { addRecent, hitHref, hitText, parseRecent, RECENT_MAX } from "../src/lib/search-links.ts";

describe("search hits", () => {
  it("lead to each kind's page", () => {
    expect(hitHref({ kind: "request", id: "abc123", type: "deploy", project: "demo", state: "RUNNING", atTimestampMillis: 0 })).toBe("/requests/abc123");
    expect(hitHref({ kind: "invocation", id: "42", job: "demo/nightly", project: "demo", state: "SUCCEEDED", atTimestampMillis: 0 }))
      .toBe("/jobs/demo/nightly/42");
    expect(hitHref({ kind: "queue_job", jobDescriptor: "emails:7", queueName: "emails", state: "PENDING", atTimestampMillis: 0 }))
      .toBe("/queues/emails/jobs/7");
    expect(hitHref({ kind: "queue", name: "emails", project: "demo" })).toBe("/queues/emails");
    expect(hitHref({ kind: "scheduler_job", job: "demo/nightly", project: "demo" })).toBe("/jobs/demo/nightly");
    expect(hitHref({ kind: "project", project: "demo" })).toBe("/jobs/demo");
    expect(hitText({ kind: "queue_job", jobDescriptor: "emails:7", queueName: "emails", state: "FAILED", atTimestampMillis: 0 }))
      .toEqual({ title: "emails:7", detail: "queue job · FAILED" });
  });
});

describe("recent items", () => {
  const item = (n: number) => ({ href: `/requests/r${n}`, title: `r${n}`, detail: "" });
  it("keep the newest first, once each, at most RECENT_MAX", () => {
    let list = [item(1), item(2)];
    list = addRecent(list, item(2));
    expect(list.map((r) => r.title)).toEqual(["r2", "r1"]);
    for (let i = 3; i < 20; i++) list = addRecent(list, item(i));
    expect(list).toHaveLength(RECENT_MAX);
    expect(list[0]!.title).toBe("r19");
  });

  it("read back only well-formed items from storage", () => {
    expect(parseRecent(null)).toEqual([]);
    expect(parseRecent("not json")).toEqual([]);
    expect(parseRecent('{"href":"/x"}')).toEqual([]);
    expect(parseRecent(JSON.stringify([item(1), { href: "https://evil.example", title: "x", detail: "" }, { href: "//evil.example", title: "x", detail: "" }, { href: "/y" }]))).toEqual([item(1)]);
  });
});
