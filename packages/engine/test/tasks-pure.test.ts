// The tasks' pure core with fixed times: the run state machine (resolutions, retries while retries are left),
// claim and deadline expiry, dependency resolution for both `requires` modes, rerun / cancel effects,
// priorities and the definition's normalisation.
import { describe, expect, it } from "vitest";
import { canonicalJson, normalizeDefinition } from "../src/tasks/definition.ts";
import { newTaskId, SLUGID } from "../src/tasks/ids.ts";
import {
  alreadyReported, cancelEffect, claimable, claimExpired, deadlineExceeded, readyToSchedule, rerunEffect, resolveRun, retryReasonFor,
  satisfies,
} from "../src/tasks/machine.ts";
import { creationPriorities, priorityRank } from "../src/tasks/priorities.ts";
import { taskDefinitionSchema } from "../src/tasks/schemas.ts";
import { REASONS_RESOLVED, RUN_STATE_DOC, RUN_STATES, REASON_RESOLVED_DOC } from "../src/tasks/states.ts";

const NOW = new Date(Date.UTC(2026, 5, 1, 12));
const at = (ms: number) => new Date(NOW.getTime() + ms);

describe("the run state machine", () => {
  it("documents every state and reason", () => {
    for (const s of RUN_STATES) expect(RUN_STATE_DOC[s].length).toBeGreaterThan(10);
    for (const r of REASONS_RESOLVED) expect(REASON_RESOLVED_DOC[r].length).toBeGreaterThan(5);
  });

  it("completed and failed resolve the task; exceptions retry only for their reasons and while retries are left", () => {
    expect(resolveRun({ kind: "completed" }, 5)).toEqual({ state: "completed", reasonResolved: "completed", retry: null });
    expect(resolveRun({ kind: "failed" }, 5)).toEqual({ state: "failed", reasonResolved: "failed", retry: null });
    expect(resolveRun({ kind: "exception", reason: "worker-shutdown" }, 1).retry).toBe("retry");
    expect(resolveRun({ kind: "exception", reason: "claim-expired" }, 1).retry).toBe("retry");
    expect(resolveRun({ kind: "exception", reason: "intermittent-task" }, 1).retry).toBe("task-retry");
    expect(resolveRun({ kind: "exception", reason: "worker-shutdown" }, 0)).toEqual({
      state: "exception", reasonResolved: "worker-shutdown", retry: null,
    });
    for (const reason of ["malformed-payload", "resource-unavailable", "internal-error", "superseded", "canceled",
      "deadline-exceeded"] as const) {
      expect(retryReasonFor(reason), reason).toBeNull();
      expect(resolveRun({ kind: "exception", reason }, 5).retry, reason).toBeNull();
    }
  });

  it("a repeated report is recognised; another one is not", () => {
    const run = { state: "exception" as const, takenUntil: null, reasonResolved: "worker-shutdown" };
    expect(alreadyReported(run, { kind: "exception", reason: "worker-shutdown" })).toBe(true);
    expect(alreadyReported(run, { kind: "exception", reason: "internal-error" })).toBe(false);
    expect(alreadyReported(run, { kind: "completed" })).toBe(false);
    expect(alreadyReported({ state: "completed", takenUntil: null, reasonResolved: "completed" }, { kind: "completed" })).toBe(true);
  });

  it("a claim expires strictly after takenUntil; a deadline at it", () => {
    const run = { state: "running" as const, takenUntil: at(1000) };
    expect(claimExpired(run, at(1000))).toBe(false);
    expect(claimExpired(run, at(1001))).toBe(true);
    expect(claimExpired({ state: "completed", takenUntil: at(0) }, at(5000))).toBe(false);
    expect(deadlineExceeded({ state: "pending", deadline: at(0) }, NOW)).toBe(true);
    expect(deadlineExceeded({ state: "unscheduled", deadline: at(1) }, NOW)).toBe(false);
    expect(deadlineExceeded({ state: "completed", deadline: at(-1) }, NOW)).toBe(false);
    expect(claimable({ deadline: at(1) }, NOW)).toBe(true);
    expect(claimable({ deadline: at(0) }, NOW)).toBe(false);
  });

  it("dependencies: all-completed takes only completed, all-resolved any resolution", () => {
    expect(satisfies("all-completed", "completed")).toBe(true);
    expect(satisfies("all-completed", "failed")).toBe(false);
    expect(satisfies("all-completed", "exception")).toBe(false);
    expect(satisfies("all-resolved", "failed")).toBe(true);
    expect(satisfies("all-resolved", "exception")).toBe(true);
    expect(readyToSchedule({ state: "unscheduled", unsatisfied: 0 })).toBe(true);
    expect(readyToSchedule({ state: "unscheduled", unsatisfied: 1 })).toBe(false);
    expect(readyToSchedule({ state: "pending", unsatisfied: 0 })).toBe(false);
  });

  it("rerun and cancel act by state and are idempotent otherwise", () => {
    expect(rerunEffect("failed")).toBe("new-run");
    expect(rerunEffect("unscheduled")).toBe("schedule");
    expect(rerunEffect("running")).toBe("none");
    expect(cancelEffect("unscheduled")).toBe("resolve-unscheduled");
    expect(cancelEffect("running")).toBe("resolve-run");
    expect(cancelEffect("completed")).toBe("none");
  });
});

describe("priorities", () => {
  it("ranks Taskcluster's eight names; a create scope allows its priority and those below", () => {
    expect(priorityRank("highest")).toBe(0);
    expect(priorityRank("lowest")).toBe(6);
    expect(priorityRank("normal")).toBe(6);
    expect(creationPriorities("high")).toEqual(["highest", "very-high", "high"]);
    expect(creationPriorities("normal")).toEqual(["highest", "very-high", "high", "medium", "low", "very-low", "lowest"]);
  });
});

describe("task definitions", () => {
  const base = {
    provisionerId: "prov", workerType: "linux", created: NOW.toISOString(), deadline: at(3600_000).toISOString(),
    payload: {}, metadata: { name: "n", description: "", owner: "o@example.com", source: "https://example.com" },
  };

  it("fills Taskcluster's defaults and normalises dates", () => {
    const taskId = newTaskId();
    expect(taskId).toMatch(SLUGID);
    const d = normalizeDefinition(taskId, taskDefinitionSchema.parse({ ...base, priority: "normal",
      deadline: "2026-06-01T13:00:00Z" }), NOW);
    expect(d).toMatchObject({
      taskQueueId: "prov/linux", taskGroupId: taskId, schedulerId: "-", projectId: "none", requires: "all-completed",
      retries: 5, priority: "lowest", deadline: "2026-06-01T13:00:00.000Z", expires: "2027-06-01T13:00:00.000Z",
    });
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
  });

  it("refuses a deadline too far ahead (configurable), in the past, or expires before it, naming the field", () => {
    const d = taskDefinitionSchema.parse({ ...base, deadline: at(8 * 86400_000).toISOString() });
    expect(() => normalizeDefinition(newTaskId(), d, NOW)).toThrow(/task.deadline: must be at most 168 hours ahead/);
    expect(normalizeDefinition(newTaskId(), d, NOW, { maxDeadlineMs: 10 * 86400_000, createdDriftMs: 60_000 }).deadline)
      .toBe(at(8 * 86400_000).toISOString());
    const past = taskDefinitionSchema.parse({ ...base, deadline: at(-1).toISOString(), created: at(-10).toISOString() });
    expect(() => normalizeDefinition(newTaskId(), past, NOW)).toThrow(/task.deadline: must be in the future/);
    const expires = taskDefinitionSchema.parse({ ...base, expires: at(60_000).toISOString() });
    expect(() => normalizeDefinition(newTaskId(), expires, NOW)).toThrow(/task.expires/);
    const mismatch = taskDefinitionSchema.parse({ ...base, taskQueueId: "other/linux" });
    expect(() => normalizeDefinition(newTaskId(), mismatch, NOW)).toThrow(/task.taskQueueId/);
    expect(taskDefinitionSchema.safeParse({ ...base, provisionerId: undefined }).success).toBe(false);
  });
});
