// What the queue form sends. Editing must send only what changed: updateQueue
// keeps everything else, and the form shows no headers, env, body or cwd.
import type { QueueInfo } from "@hourglass/engine";
import { describe, expect, it } from "vitest";
import { createInput, FormError, formFromQueue, hiddenSettings, settingsPatch } from "../src/lib/queue-settings.ts";

const queue: QueueInfo = {
  name: "hooks", project: "default", system: false, createdAtTimestampMillis: 0, claimTimeoutMillis: 300_000,
  succeededRetentionMillis: 86_400_000, failedRetentionMillis: 604_800_000, dequeueRateLimit: null,
  paused: false, pausedAtTimestampMillis: null, pausedBy: null,
  executor: {
    kind: "http", method: "POST", url: "https://hooks.example/a", headers: { Authorization: "Bearer s3cret" },
    body: "{}", timeoutMillis: 30_000, retryDelayMillis: 1000,
  },
};

describe("the Settings dialog", () => {
  it("sends nothing when nothing changed", () => {
    expect(settingsPatch(queue, formFromQueue(queue))).toEqual({});
  });

  it("sends only the changed setting, never the headers or body it does not show", () => {
    const f = { ...formFromQueue(queue), claimTimeoutSeconds: "60" };
    expect(settingsPatch(queue, f)).toEqual({ claimTimeoutMillis: 60_000 });
  });

  it("sends only the changed executor fields", () => {
    const f = { ...formFromQueue(queue), url: "https://hooks.example/b", timeoutSeconds: "5" };
    expect(settingsPatch(queue, f)).toEqual({ executor: { url: "https://hooks.example/b", timeoutMillis: 5000 } });
  });

  it("sends a whole executor for a new kind, and null for none", () => {
    const shell = { ...formFromQueue(queue), kind: "shell" as const, command: "true", args: "" };
    expect(settingsPatch(queue, shell)).toEqual({ executor: { kind: "shell", command: "true", args: [], timeoutMillis: 30_000, retryDelayMillis: 1000 } });
    expect(settingsPatch(queue, { ...formFromQueue(queue), kind: "none" })).toEqual({ executor: null });
  });

  it("keeps a paused queue paused when the rate limit is left empty", () => {
    const paused = { ...queue, paused: true, dequeueRateLimit: 0 };
    expect(settingsPatch(paused, formFromQueue(paused))).toEqual({});
    expect(settingsPatch(paused, { ...formFromQueue(paused), rateLimit: "5" })).toEqual({ dequeueRateLimit: 5 });
  });

  it("refuses a number field that is not a number (NaN would travel as null, meaning remove)", () => {
    expect(() => settingsPatch(queue, { ...formFromQueue(queue), timeoutSeconds: "soon" })).toThrow(FormError);
    expect(() => settingsPatch(queue, { ...formFromQueue(queue), timeoutSeconds: "soon" })).toThrow(/Timeout \(s\)/);
  });

  it("says which settings it keeps without showing them", () => {
    expect(hiddenSettings(queue.executor)).toBe("1 header (Authorization) and the request body");
    expect(hiddenSettings({ kind: "noop", retryDelayMillis: 0 })).toBeNull();
  });
});

describe("the Create dialog", () => {
  it("sends a whole queue without empty headers or env", () => {
    const f = { ...formFromQueue(), name: " q1 ", kind: "http" as const, url: "https://x.example" };
    expect(createInput(f)).toEqual({
      name: "q1", claimTimeoutMillis: 300_000, succeededRetentionMillis: 86_400_000, failedRetentionMillis: 604_800_000,
      dequeueRateLimit: null, executor: { kind: "http", method: "POST", url: "https://x.example", timeoutMillis: 60_000, retryDelayMillis: 1000 },
    });
  });
});
