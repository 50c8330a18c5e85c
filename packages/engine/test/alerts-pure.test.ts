// The pure part of alerts: the rule schema, facts of events, matching, the
// collapse window, threshold crossings, the payload, signing and backoff.
import { describe, expect, it } from "vitest";
import { retryDelay, MAX_ATTEMPTS } from "../src/alerts/backoff.ts";
import { collapse, SAMPLE_LIMIT, type FiringDetail } from "../src/alerts/collapse.ts";
import { factsOf, recordNeeded, type AlertFact } from "../src/alerts/facts.ts";
import { fire, matches, type MatchableRule } from "../src/alerts/match.ts";
import { buildNotification, emailOf } from "../src/alerts/payload.ts";
import { createRuleInput, SECRET_MASK, updateRuleInput } from "../src/alerts/schemas.ts";
import { signBody, verifySignature } from "../src/alerts/signing.ts";
import { evaluateThreshold } from "../src/alerts/threshold.ts";
import type { EventInfo } from "../src/events/types.ts";

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const MIN = 60_000;

function event(e: Partial<EventInfo>): EventInfo {
  return {
    id: "1", cursor: "1.1", atTimestampMillis: T0, project: "demo", entityKind: "invocation", entityId: "7", action: "finished",
    from: "RUNNING", to: "FAILED", reason: "", actor: "worker:w", payload: null, ...e,
  };
}

function rule(r: Partial<MatchableRule>): MatchableRule {
  return { id: "1", project: "demo", kind: "invocation_failed", target: null, condition: {}, enabled: true, ...r };
}

const inv = { id: "7", jobKey: "demo/nightly", previousOutcome: null, incomingTriggers: [] };

function firing(at: number, n = 0): FiringDetail {
  return { at, subject: { kind: "invocation", id: String(n) }, target: "nightly", text: `invocation ${n} failed`, data: {} };
}

describe("the rule schema", () => {
  const webhook = { kind: "webhook", url: "https://hooks.example/x", secret: "s".repeat(16) };

  it("takes a rule of each kind with its own condition, and defaults the window to 5 min", () => {
    const r = createRuleInput.parse({ project: "demo", name: "late", kind: "schedule_late", condition: { lateMillis: 5000 }, channel: webhook });
    expect(r).toMatchObject({ target: null, collapseWindowMillis: 300_000, enabled: true, condition: { lateMillis: 5000 } });
    for (const [kind, condition] of [["queue_backlog", { backlog: 10 }], ["queue_oldest_pending", { oldestPendingMillis: 60_000 }],
      ["invocation_failed", {}], ["job_recovered", {}], ["request_failed", {}]] as const) {
      expect(createRuleInput.safeParse({ project: "demo", name: kind, kind, condition, channel: webhook }).success, kind).toBe(true);
    }
  });

  it("names the field at fault: a missing or foreign condition, a bad target, a short secret, no recipients", () => {
    const issues = (input: unknown) => createRuleInput.safeParse(input).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues({ project: "demo", name: "x", kind: "queue_backlog", channel: webhook }))
      .toEqual(["condition.backlog: a queue_backlog rule needs condition.backlog"]);
    expect(issues({ project: "demo", name: "x", kind: "invocation_failed", condition: { backlog: 3 }, channel: webhook }))
      .toEqual(["condition.backlog: a invocation_failed rule has no condition.backlog"]);
    expect(issues({ project: "demo", name: "x", kind: "invocation_failed", target: "Demo/Job", channel: webhook })?.[0])
      .toMatch(/^target: a job is named by its id/);
    expect(issues({ project: "demo", name: "x", kind: "invocation_failed", channel: { ...webhook, secret: "short" } }))
      .toEqual(["channel.secret: secret is at least 16 characters"]);
    expect(issues({ project: "demo", name: "x", kind: "request_failed", channel: { kind: "email", to: [] } }))
      .toEqual(["channel.to: name at least one recipient"]);
    expect(issues({ project: "demo", name: "x", kind: "request_failed", channel: { kind: "email", to: ["nope"] } }))
      .toEqual(["channel.to.0: not an email address"]);
  });

  it("lets an update send the mask back for a stored secret", () => {
    const r = updateRuleInput.parse({ id: "3", rule: { name: "x", kind: "invocation_failed", channel: { ...webhook, secret: SECRET_MASK } } });
    expect(r.rule.channel).toMatchObject({ secret: SECRET_MASK });
  });
});

describe("facts of events", () => {
  it("an invocation that ended FAILED is invocation_failed of its job; SUCCEEDED after a FAILED one is job_recovered", () => {
    expect(recordNeeded(event({}))).toEqual({ invocation: "7" });
    expect(factsOf(event({ reason: "exit 3" }), { invocation: inv })).toMatchObject([
      { kind: "invocation_failed", project: "demo", target: "nightly", subject: { kind: "invocation", id: "7" }, text: "invocation 7 of demo/nightly failed: exit 3" },
    ]);
    expect(factsOf(event({ to: "SUCCEEDED" }), { invocation: inv })).toEqual([]);
    expect(factsOf(event({ to: "SUCCEEDED" }), { invocation: { ...inv, previousOutcome: "FAILED" } }).map((f) => f.kind)).toEqual(["job_recovered"]);
    expect(factsOf(event({ to: "SUCCEEDED" }), { invocation: { ...inv, previousOutcome: "SUCCEEDED" } })).toEqual([]);
  });

  it("an invocation created with a late or catch-up cron trigger is schedule_late with its lateness", () => {
    const created = event({ from: null, to: "RUNNING", action: "created" });
    const late = { emittedBy: "cron", properties: { slot: "2026-06-01T11:59:00.000Z", late_ms: 61_000, skipped_slots: 0 } };
    const caughtUp = { emittedBy: "cron", properties: { slot: "2026-06-01T11:00:00.000Z", late_ms: 120_000, skipped_slots: 59 } };
    const onTime = { emittedBy: "cron", properties: { slot: "2026-06-01T12:00:00.000Z" } };
    const facts = factsOf(created, { invocation: { ...inv, incomingTriggers: [late, caughtUp, onTime, { emittedBy: "api", properties: { late_ms: 9 } }] } });
    expect(facts.map((f) => f.data)).toEqual([
      { jobKey: "demo/nightly", invocationId: "7", slot: late.properties.slot, lateMs: 61_000, skippedSlots: 0 },
      { jobKey: "demo/nightly", invocationId: "7", slot: caughtUp.properties.slot, lateMs: 120_000, skippedSlots: 59 },
    ]);
    expect(facts[1]!.text).toMatch(/59 slot\(s\) before .* were missed/);
    // a transition of an invocation that already existed says nothing about its slot
    expect(factsOf(event({ from: "STARTING", to: "RUNNING" }), { invocation: { ...inv, incomingTriggers: [late] } })).toEqual([]);
  });

  it("a request that ended FAIL is request_failed of its type; other events are no facts", () => {
    const failed = event({ entityKind: "request", entityId: "r1", from: "RUNNING", to: "FAIL", reason: "a job failed with no retries left" });
    expect(recordNeeded(failed)).toEqual({ request: "r1" });
    expect(factsOf(failed, { request: { id: "r1", type: "deploy", project: "demo" } })).toMatchObject([
      { kind: "request_failed", target: "deploy", subject: { kind: "request", id: "r1" } },
    ]);
    for (const e of [event({ entityKind: "queue_job", to: "FAILED" }), event({ to: "RUNNING" }), event({ entityKind: "request", to: "COMPLETE" })]) {
      expect(recordNeeded(e)).toBeNull();
    }
  });
});

describe("matching", () => {
  const failed: AlertFact = {
    kind: "invocation_failed", project: "demo", target: "nightly", at: T0, subject: { kind: "invocation", id: "7" }, text: "", data: {},
  };

  it("fires on its kind, project and target (or every target), not on others", () => {
    expect(matches(rule({}), failed)).toBe(true);
    expect(matches(rule({ target: "nightly" }), failed)).toBe(true);
    expect(matches(rule({ target: "hourly" }), failed)).toBe(false);
    expect(matches(rule({ project: "other" }), failed)).toBe(false);
    expect(matches(rule({ kind: "job_recovered" }), failed)).toBe(false);
    expect(matches(rule({ enabled: false }), failed)).toBe(false);
  });

  it("schedule_late fires over its limit, or on any missed slot", () => {
    const late = (lateMs: number, skippedSlots = 0): AlertFact => ({ ...failed, kind: "schedule_late", data: { lateMs, skippedSlots } });
    const r = rule({ kind: "schedule_late", condition: { lateMillis: 30_000 } });
    expect([matches(r, late(30_000)), matches(r, late(30_001)), matches(r, late(2000, 3))]).toEqual([false, true, true]);
  });

  it("fire() lists every rule that matched, fact by fact", () => {
    const rules = [rule({ id: "a" }), rule({ id: "b", target: "nightly" }), rule({ id: "c", target: "other" })];
    expect(fire(rules, [failed, { ...failed, target: "other" }]).map((f) => f.ruleId)).toEqual(["a", "b", "a", "c"]);
  });
});

describe("the collapse window", () => {
  it("a storm of 10 firings within the window is one notification of 10, sent when the window closes", () => {
    const storm = Array.from({ length: 10 }, (_, i) => firing(T0 + i * 20_000, i));
    const plan = collapse(null, storm, 5 * MIN);
    expect(plan.joined).toBeNull();
    expect(plan.opened).toHaveLength(1);
    expect(plan.opened[0]).toMatchObject({ count: 10, firstAt: T0, lastAt: T0 + 180_000, sendAt: T0 + 5 * MIN, closed: false });
  });

  it("a firing before the open window closes joins it; one at or after its end closes it and opens the next", () => {
    const open = { id: "9", count: 3, firstAt: T0, lastAt: T0 + MIN, sendAt: T0 + 5 * MIN, sample: [firing(T0)] };
    const joined = collapse(open, [firing(T0 + 2 * MIN)], 5 * MIN);
    expect(joined).toMatchObject({ joined: { id: "9", count: 4, lastAt: T0 + 2 * MIN, closed: false }, opened: [] });
    const next = collapse(open, [firing(T0 + 5 * MIN)], 5 * MIN);
    expect(next.joined).toMatchObject({ id: "9", count: 3, closed: true });
    expect(next.opened).toMatchObject([{ count: 1, firstAt: T0 + 5 * MIN, sendAt: T0 + 10 * MIN, closed: false }]);
  });

  it("a batch spanning several windows opens them in order, the earlier ones closed; a window of 0 sends each alone", () => {
    const plan = collapse(null, [firing(T0 + 11 * MIN), firing(T0), firing(T0 + MIN), firing(T0 + 6 * MIN)], 5 * MIN);
    expect(plan.opened.map((w) => [w.count, w.firstAt - T0, w.closed])).toEqual([[2, 0, true], [1, 6 * MIN, true], [1, 11 * MIN, false]]);
    expect(collapse(null, [firing(T0), firing(T0)], 0).opened.map((w) => [w.count, w.closed])).toEqual([[1, true], [1, true]]);
  });

  it("keeps the first SAMPLE_LIMIT firings in full and counts the rest", () => {
    const plan = collapse(null, Array.from({ length: 50 }, (_, i) => firing(T0 + i, i)), 5 * MIN);
    expect(plan.opened[0]!.count).toBe(50);
    expect(plan.opened[0]!.sample).toHaveLength(SAMPLE_LIMIT);
  });
});

describe("thresholds", () => {
  const backlog = { ...rule({ kind: "queue_backlog", condition: { backlog: 100 } }), kind: "queue_backlog" as const };

  it("fires when a queue goes over the limit, not again while it stays over, and again after it cleared", () => {
    const over = [{ queue: "q", backlog: 101, oldestPendingMs: 5000 }];
    const first = evaluateThreshold(backlog, over, {}, T0);
    expect(first.fired.map((f) => [f.target, f.data.backlog])).toEqual([["q", 101]]);
    expect(first.state).toEqual({ q: { since: T0 } });
    expect(evaluateThreshold(backlog, over, first.state, T0 + MIN)).toMatchObject({ fired: [], state: { q: { since: T0 } } });
    const cleared = evaluateThreshold(backlog, [{ queue: "q", backlog: 100, oldestPendingMs: 0 }], first.state, T0 + 2 * MIN);
    expect(cleared).toMatchObject({ fired: [], cleared: ["q"], state: {} });
    expect(evaluateThreshold(backlog, over, cleared.state, T0 + 3 * MIN).fired).toHaveLength(1);
  });

  it("oldest pending compares the wait with its limit; a queue with nothing due is under it", () => {
    const oldest = { ...rule({ kind: "queue_oldest_pending", condition: { oldestPendingMillis: MIN } }), kind: "queue_oldest_pending" as const };
    const r = evaluateThreshold(oldest, [
      { queue: "a", backlog: 1, oldestPendingMs: MIN + 1 }, { queue: "b", backlog: 1, oldestPendingMs: MIN }, { queue: "c", backlog: 0, oldestPendingMs: null },
    ], {}, T0);
    expect(r.fired.map((f) => f.target)).toEqual(["a"]);
  });
});

describe("the notification", () => {
  const r = { id: "4", name: "nightly failing", project: "demo", kind: "invocation_failed" as const, target: "nightly", condition: {}, collapseWindowMillis: 5 * MIN };

  it("says how many firings it stands for, lists the first and counts the rest", () => {
    const sample = Array.from({ length: 20 }, (_, i) => firing(T0 + i * 1000, i));
    const body = buildNotification(r, { deliveryId: "12", test: false, count: 25, firstFiredAt: T0, lastFiredAt: T0 + 4 * MIN, sample }, T0 + 5 * MIN);
    expect(body).toMatchObject({ type: "hourglass.alert", deliveryId: "12", count: 25, omitted: 5, sentAt: "2026-06-01T12:05:00.000Z" });
    expect(body.summary).toBe("nightly failing: fired 25 times within 4 min in job nightly of project demo");
    expect(body.firings).toHaveLength(20);
    const mail = emailOf(body, "https://hourglass.example/");
    expect(mail.subject).toBe(`[Hourglass] ${body.summary}`);
    expect(mail.text).toContain("- … and 5 more");
    expect(mail.text).toContain("https://hourglass.example/alerts/demo");
  });

  it("one firing says what happened; a test says it is one", () => {
    const one = buildNotification(r, { deliveryId: "1", test: false, count: 1, firstFiredAt: T0, lastFiredAt: T0, sample: [firing(T0, 7)] }, T0);
    expect(one.summary).toBe("nightly failing: invocation 7 failed");
    const test = buildNotification(r, { deliveryId: "2", test: true, count: 0, firstFiredAt: null, lastFiredAt: null, sample: [] }, T0);
    expect([test.type, test.summary]).toEqual(["hourglass.alert.test", 'Test notification of alert rule "nightly failing" (project demo)']);
  });
});

describe("signing and retries", () => {
  it("signs the raw body with HMAC-SHA256 and verifies it in constant time", () => {
    const body = JSON.stringify({ a: 1 });
    // echo -n '{"a":1}' | openssl dgst -sha256 -hmac 'k'
    expect(signBody("k", body)).toBe("sha256=c3a92ff9e274cdcce27a58c15a78ec6dcbbdbd0038a87e7a11baef2028fd8bff");
    expect(verifySignature("k", body, signBody("k", body))).toBe(true);
    expect(verifySignature("other", body, signBody("k", body))).toBe(false);
    expect(verifySignature("k", body + " ", signBody("k", body))).toBe(false);
    expect(verifySignature("k", body, undefined)).toBe(false);
  });

  it("backs off 10 s, 20 s, 40 s … and stops after the last attempt", () => {
    expect([1, 2, 3, 4].map((n) => retryDelay(n))).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(retryDelay(MAX_ATTEMPTS)).toBeNull();
    expect(retryDelay(2, 2)).toBeNull();
  });
});
