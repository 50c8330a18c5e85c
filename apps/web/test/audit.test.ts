import { describe, expect, it } from "vitest";
import { entityHref } from "../src/lib/audit-links.ts";
import { auditFilter, auditQueryString, DEFAULT_QUERY, exportHref, parseAuditQuery } from "../src/lib/audit-query.ts";

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const none = { queue: null, job: null, request: null };

describe("the audit page's query string", () => {
  it("round-trips the filters, leaving defaults out", () => {
    const q = parseAuditQuery(new URLSearchParams("actor=user:alice&project=demo&entityKind=queue&entityId=emails&action=paused&range=7d&operatorOnly=1"));
    expect(q).toEqual({ ...DEFAULT_QUERY, actor: "user:alice", project: "demo", entityKind: "queue", entityId: "emails", action: "paused", range: "7d", operatorOnly: true });
    expect(auditQueryString(q)).toBe("actor=user%3Aalice&project=demo&entityKind=queue&entityId=emails&action=paused&range=7d&operatorOnly=1");
    expect(auditQueryString(DEFAULT_QUERY)).toBe("");
    // what a URL cannot mean reads as the default
    expect(parseAuditQuery(new URLSearchParams("range=forever&entityKind=planet"))).toEqual(DEFAULT_QUERY);
  });

  it("my actions replace the actor with the caller's id", () => {
    const q = parseAuditQuery(new URLSearchParams("mine=1&actor=user:bob"));
    expect(auditQueryString(q)).toBe("mine=1");
    expect(auditFilter(q, "user:me", NOW)).toEqual({ actor: "user:me", since: NOW - 86_400_000 });
  });

  it("asks for a relative range counted back from now, a custom one from its ends, or any time", () => {
    expect(auditFilter({ ...DEFAULT_QUERY, range: "1h" }, undefined, NOW)).toEqual({ since: NOW - 3_600_000 });
    expect(auditFilter({ ...DEFAULT_QUERY, range: "all" }, undefined, NOW)).toEqual({});
    const custom = auditFilter({ ...DEFAULT_QUERY, range: "custom", from: "2026-05-01T10:00", to: "" }, undefined, NOW);
    expect(custom).toEqual({ since: new Date("2026-05-01T10:00").getTime() });
    expect(auditQueryString({ ...DEFAULT_QUERY, range: "1h", from: "2026-05-01T10:00" })).toBe("range=1h");
  });

  it("exports with the same filters", () => {
    expect(exportHref("csv", { actor: "user:a", since: 5, operatorOnly: true })).toBe("/api/audit/export?format=csv&actor=user%3Aa&since=5&operatorOnly=true");
  });
});

describe("an audit event's link", () => {
  it("goes to its entity's page", () => {
    expect(entityHref({ project: "p", entityKind: "queue", entityId: "emails", refs: none })).toBe("/queues/emails");
    expect(entityHref({ project: "p", entityKind: "queue_job", entityId: "42", refs: { ...none, queue: "emails" } })).toBe("/queues/emails/jobs/42");
    expect(entityHref({ project: "p", entityKind: "invocation", entityId: "7", refs: { ...none, job: "demo/nightly" } })).toBe("/jobs/demo/nightly/7");
    expect(entityHref({ project: "demo", entityKind: "scheduler_job", entityId: "demo/nightly", refs: none })).toBe("/jobs/demo/nightly");
    expect(entityHref({ project: "p", entityKind: "request", entityId: "r1", refs: none })).toBe("/requests/r1");
    expect(entityHref({ project: "p", entityKind: "chain_job", entityId: "r1/j", refs: { ...none, request: "r1" } })).toBe("/requests/r1");
    expect(entityHref({ project: "hourglass", entityKind: "token", entityId: "abc", refs: none })).toBe("/access/tokens");
  });

  it("is absent when what it belongs to is not known", () => {
    expect(entityHref({ project: "p", entityKind: "queue_job", entityId: "42", refs: none })).toBeNull();
    expect(entityHref({ project: "hourglass", entityKind: "session", entityId: "ab12", refs: none })).toBeNull();
  });
});
