import { describe, expect, it } from "vitest";
import { isDashboardPage, safeNextPath, signInUrl } from "../src/lib/sign-in-paths";

describe("isDashboardPage", () => {
  it("is every page but the API, the sign-in page, Next's assets, the icon and /metrics", () => {
    for (const p of ["/", "/queues", "/jobs/demo/heartbeat", "/requests/abc", "/apis", "/sign-in-help"]) expect(isDashboardPage(p), p).toBe(true);
    for (const p of ["/api", "/api/trpc/queues.getQueueNames", "/api/session", "/api/events", "/api/events/changes", "/sign-in", "/sign-in/", "/_next/static/chunk.js", "/favicon.ico", "/metrics"]) {
      expect(isDashboardPage(p), p).toBe(false);
    }
  });
});

describe("safeNextPath", () => {
  it("keeps a path of the dashboard with its query and fragment", () => {
    expect(safeNextPath("/queues")).toBe("/queues");
    expect(safeNextPath("/queues/email_send?state=FAILED#top")).toBe("/queues/email_send?state=FAILED#top");
    expect(safeNextPath(decodeURIComponent(signInUrl("/jobs?x=1&y=2").split("next=")[1]!))).toBe("/jobs?x=1&y=2");
  });

  it("never leads to another site, the API or back to sign-in", () => {
    for (const next of [
      undefined, null, "", "queues", "https://evil.example/", "//evil.example/x", "/\\evil.example", "/\tevil", "javascript:alert(1)",
      "/sign-in", "/sign-in?next=/queues", "/api/session", "/_next/static/x.js",
    ]) {
      expect(safeNextPath(next), String(next)).toBe("/");
    }
  });
});
