// The feed's pure decisions: which filter an event matches and who may see
// it, for every entity kind, with and without the references a lookup gives.
import { describe, expect, it } from "vitest";
import { HeldScopes } from "../src/access/scopes.ts";
import { decide, decideFinally, filterMatches, knownRefs, visibleTo, type Can } from "../src/events/feed-match.ts";
import type { EventInfo } from "../src/events/types.ts";

const event = (over: Partial<EventInfo>): EventInfo => ({
  id: "1", cursor: "10.1", atTimestampMillis: 0, project: "p1", entityKind: "queue_job", entityId: "7", action: "acked",
  from: "IN_PROGRESS", to: "SUCCEEDED", reason: "", actor: "worker:w", payload: null, ...over,
});
const can = (...scopes: string[]): Can => {
  const held = new HeldScopes(scopes);
  return (build) => {
    try {
      return held.satisfies(build());
    } catch {
      return false;
    }
  };
};

describe("visibility", () => {
  it("sees a queue job through its queue, and needs the queue only without read on the whole project", () => {
    const job = event({});
    expect(visibleTo(can("queues:read:p1/*"), job, knownRefs(job))).toBe(true);
    expect(visibleTo(can("queues:read:p1/fa"), job, knownRefs(job))).toBeUndefined(); // look the queue up
    expect(visibleTo(can("queues:read:p1/fa"), job, { queue: "fa" })).toBe(true);
    expect(visibleTo(can("queues:read:p1/fa"), job, { queue: "fb" })).toBe(false);
    expect(visibleTo(can("queues:read:p1/fa"), job, { queue: null })).toBe(false); // gone: as if it never existed
    expect(visibleTo(can("queues:read:p2/*"), job, { queue: "fa" })).toBe(false);
    const carried = event({ payload: { queue: "fa" } });
    expect(visibleTo(can("queues:read:p1/fa"), carried, knownRefs(carried))).toBe(true);
  });

  it("sees scheduler jobs, invocations and triggers through the job, projects through scheduler read", () => {
    const job = event({ entityKind: "scheduler_job", entityId: "p1/nightly" });
    const trigger = event({ entityKind: "trigger", entityId: "p1/nightly:t-42" });
    const invocation = event({ entityKind: "invocation", entityId: "99" });
    const reader = can("scheduler:read:p1/nightly");
    expect(visibleTo(reader, job, knownRefs(job))).toBe(true);
    expect(visibleTo(reader, trigger, knownRefs(trigger))).toBe(true);
    expect(visibleTo(can("scheduler:read:p1/other"), trigger, knownRefs(trigger))).toBe(false);
    expect(visibleTo(reader, invocation, knownRefs(invocation))).toBeUndefined();
    expect(visibleTo(reader, invocation, { job: "p1/nightly" })).toBe(true);
    expect(visibleTo(can("scheduler:read:p1/*"), invocation, knownRefs(invocation))).toBe(true);
    expect(visibleTo(reader, event({ entityKind: "project", entityId: "p1" }), {})).toBe(false);
    expect(visibleTo(can("scheduler:read:p1/*"), event({ entityKind: "project", entityId: "p1" }), {})).toBe(true);
  });

  it("sees requests and chain jobs through the request's type", () => {
    const request = event({ entityKind: "request", entityId: "r1" });
    const chainJob = event({ entityKind: "chain_job", entityId: "r1/job-a" });
    const typed = can("requests:read:p1/deploy");
    expect(visibleTo(typed, request, knownRefs(request))).toBeUndefined();
    expect(visibleTo(typed, chainJob, { requestType: "deploy" })).toBe(true);
    expect(visibleTo(typed, chainJob, { requestType: "other" })).toBe(false);
    expect(visibleTo(can("requests:read:p1/*"), chainJob, knownRefs(chainJob))).toBe(true);
  });

  it("sees alert rules through the project's alerts", () => {
    const rule = event({ entityKind: "alert_rule", entityId: "r1", action: "fired" });
    expect(visibleTo(can("alerts:read:p1/*"), rule, {})).toBe(true);
    expect(visibleTo(can("alerts:read:p2/*", "queues:read:p1/*"), rule, {})).toBe(false);
  });

  it("shows identities, tokens, roles and unknown kinds to access administrators only", () => {
    for (const entityKind of ["principal", "token", "role", "session", "something_new"]) {
      const e = event({ entityKind, entityId: "x" });
      expect(visibleTo(can("queues:read:p1/*", "scheduler:read:p1/*"), e, {})).toBe(false);
      expect(visibleTo(can("access:manage"), e, {})).toBe(true);
      expect(visibleTo(can("*"), e, {})).toBe(true);
    }
  });
});

describe("filters", () => {
  it("narrow by project, kind, id, action and target state", () => {
    const e = event({});
    const refs = knownRefs(e);
    expect(filterMatches({}, e, refs)).toBe(true);
    expect(filterMatches({ projects: ["p2"] }, e, refs)).toBe(false);
    expect(filterMatches({ entityKinds: ["queue", "queue_job"], entityId: "7" }, e, refs)).toBe(true);
    expect(filterMatches({ actions: ["enqueued"] }, e, refs)).toBe(false);
    expect(filterMatches({ to: ["SUCCEEDED", "FAILED"] }, e, refs)).toBe(true);
    expect(filterMatches({ to: ["PENDING"] }, event({ to: null }), refs)).toBe(false);
  });

  it("ask for a lookup only when the answer depends on it", () => {
    const job = event({});
    expect(filterMatches({ queue: "fa" }, job, knownRefs(job))).toBeUndefined();
    expect(filterMatches({ queue: "fa", actions: ["enqueued"] }, job, knownRefs(job))).toBe(false);
    const queue = event({ entityKind: "queue", entityId: "fa", action: "claimed" });
    expect(filterMatches({ queue: "fa" }, queue, knownRefs(queue))).toBe(true);
    expect(filterMatches({ request: "r1" }, queue, knownRefs(queue))).toBe(false); // a queue has no request
  });

  it("decide which topics an event matches, and settle what a lookup could not find as absent", () => {
    const job = event({});
    const topics = [{ queue: "fa" }, { entityKinds: ["queue_job"] }, { actions: ["paused"] }];
    expect(decide(topics, can("*"), job, knownRefs(job))).toBeUndefined();
    expect(decide(topics, can("*"), job, { ...knownRefs(job), queue: "fa" })).toEqual([0, 1]);
    expect(decide(topics, can("queues:read:p2/*"), job, knownRefs(job))).toBeUndefined();
    expect(decideFinally(topics, can("queues:read:p1/fa"), job, knownRefs(job))).toEqual([]);
    expect(decide([], can("*"), job, knownRefs(job))).toEqual([0]);
    expect(decide([{ actions: ["paused"] }], can("*"), job, knownRefs(job))).toEqual([]);
  });
});
