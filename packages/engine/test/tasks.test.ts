// Taskcluster's queue on real PostgreSQL through the tRPC API (createTestEngine), time from a ManualClock:
// a task group with dependencies, idempotent creation, claim / reclaim, reports with retries, rerun, cancel,
// a lapsed claim and a passed deadline (maintenance), claimWork woken by NOTIFY, and the scope checks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HeldScopes } from "../src/access/scopes.ts";
import type { ApiCaller } from "../src/access/host/caller.ts";
import { createCaller } from "../src/api/root.ts";
import { visibleTo } from "../src/events/feed-match.ts";
import { TaskMaintenance } from "../src/tasks/host/maintenance.ts";
import { newTaskId } from "../src/tasks/ids.ts";
import { createTestEngine, ManualClock, type TestEngine } from "../src/testing.ts";

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const clock = new ManualClock(T0);
let t: TestEngine;
let maintenance: TaskMaintenance;
const worker = { workerGroup: "wg", workerId: "w1" };

function def(over: Record<string, unknown> = {}) {
  const now = clock.now().getTime();
  return {
    taskQueueId: "prov/linux",
    projectId: "demo",
    schedulerId: "tests",
    created: new Date(now).toISOString(),
    deadline: new Date(now + 3600_000).toISOString(),
    payload: { command: ["true"] },
    metadata: { name: "t", description: "a test task", owner: "tester@example.com", source: "https://example.com/t" },
    ...over,
  };
}

async function create(over: Record<string, unknown> = {}, taskId = newTaskId()) {
  const r = await t.api.tasks.createTask({ taskId, task: def(over) as never });
  return { taskId, status: r.status };
}

async function claimOne(taskQueueId = "prov/linux") {
  const r = await t.api.tasks.claimWork({ taskQueueId, ...worker, tasks: 1 });
  expect(r.tasks).toHaveLength(1);
  return r.tasks[0]!;
}

function callerWith(scopes: string[]): ReturnType<typeof createCaller> {
  const caller: ApiCaller = { id: "user:limited", kind: "user", displayName: "limited", scopes: new HeldScopes(scopes) };
  return createCaller({ engine: t.engine, caller });
}

beforeAll(async () => {
  t = await createTestEngine({ clock });
  t.engine.tasks.options.claimWaitMs = 300;
  maintenance = new TaskMaintenance(t.engine.ctx);
});
afterAll(async () => {
  await t.engine.tasks.stop();
  await t.close();
});

describe("tasks", () => {
  it("runs a task group with dependencies under both requires modes, then resolves the group", async () => {
    const group = newTaskId();
    const a = await create({ taskGroupId: group });
    expect(a.status.state).toBe("pending");
    expect(a.status.runs).toEqual([{ runId: 0, state: "pending", reasonCreated: "scheduled", scheduled: new Date(T0).toISOString() }]);
    const b = await create({ taskGroupId: group, dependencies: [a.taskId] });
    const c = await create({ taskGroupId: group, dependencies: [a.taskId, b.taskId], requires: "all-resolved" });
    expect(b.status.state).toBe("unscheduled");
    expect(c.status.state).toBe("unscheduled");

    const claimedA = await claimOne();
    expect(claimedA.status.taskId).toBe(a.taskId);
    expect(claimedA.task.metadata.name).toBe("t");
    await t.api.tasks.reportCompleted({ taskId: a.taskId, runId: 0 });
    expect((await t.api.tasks.status({ taskId: b.taskId })).status.state).toBe("pending");
    expect((await t.api.tasks.status({ taskId: c.taskId })).status.state).toBe("unscheduled");

    const claimedB = await claimOne();
    expect(claimedB.status.taskId).toBe(b.taskId);
    await t.api.tasks.reportFailed({ taskId: b.taskId, runId: 0 });
    // all-resolved: a failed dependency satisfies it
    expect((await t.api.tasks.status({ taskId: c.taskId })).status.state).toBe("pending");
    expect((await t.api.tasks.getTaskGroup({ taskGroupId: group })).resolved).toBeUndefined();

    await claimOne();
    await t.api.tasks.reportCompleted({ taskId: c.taskId, runId: 0 });
    const g = await t.api.tasks.getTaskGroup({ taskGroupId: group });
    expect(g.resolved).toBe(new Date(T0).toISOString());
    const listed = await t.api.tasks.listTaskGroup({ taskGroupId: group, limit: 2 });
    expect(listed.tasks).toHaveLength(2);
    const rest = await t.api.tasks.listTaskGroup({ taskGroupId: group, limit: 2, continuationToken: listed.continuationToken });
    expect([...listed.tasks, ...rest.tasks].map((x) => x.status.taskId).sort()).toEqual([a.taskId, b.taskId, c.taskId].sort());
    expect(rest.continuationToken).toBeUndefined();
    const dependents = await t.api.tasks.listDependentTasks({ taskId: a.taskId, limit: 10 });
    expect(dependents.tasks.map((x) => x.status.taskId).sort()).toEqual([b.taskId, c.taskId].sort());

    const events = await t.db.sql.query(
      `SELECT entity_kind, entity_id, action, from_state, to_state, reason FROM event_log
        WHERE entity_kind IN ('task', 'task_run', 'task_group') AND (entity_id LIKE $1 OR entity_id = $2) ORDER BY id`,
      [`${b.taskId}%`, group]);
    expect(events.rows.map((e) => `${e.entity_kind} ${e.action} ${e.from_state ?? ""}→${e.to_state} ${e.reason}`)).toEqual([
      "task defined →unscheduled ",
      "task_run pending →pending scheduled",
      "task_run claimed pending→running ",
      "task_run resolved running→failed failed",
      "task resolved running→failed failed",
      "task_group resolved →resolved ",
    ]);
  });

  it("all-completed: a failed dependency leaves the dependent unscheduled until its deadline", async () => {
    const a = await create({ taskQueueId: "prov/deadline" });
    const b = await create({ taskQueueId: "prov/deadline", dependencies: [a.taskId] });
    await claimOne("prov/deadline");
    await t.api.tasks.reportFailed({ taskId: a.taskId, runId: 0 });
    expect((await t.api.tasks.status({ taskId: b.taskId })).status.state).toBe("unscheduled");
    clock.advance(3600_000);
    expect(await maintenance.expireDeadlines()).toBeGreaterThanOrEqual(1);
    const s = (await t.api.tasks.status({ taskId: b.taskId })).status;
    expect(s.state).toBe("exception");
    expect(s.runs).toMatchObject([{ runId: 0, state: "exception", reasonCreated: "exception", reasonResolved: "deadline-exceeded" }]);
  });

  it("createTask is idempotent by taskId: the same definition again is fine, another one a conflict", async () => {
    const taskId = newTaskId();
    const first = await create({}, taskId);
    const again = await t.api.tasks.createTask({ taskId, task: def() as never });
    expect(again.status).toEqual(first.status);
    await expect(t.api.tasks.createTask({ taskId, task: def({ retries: 2 }) as never })).rejects.toMatchObject({ code: "CONFLICT" });
    const bad = await t.mutate("tasks.createTask", { taskId: newTaskId(), task: def({ deadline: new Date(T0 + 30 * 86400_000).toISOString() }) });
    expect(bad.status).toBe(400);
    expect(bad.error.data.issues[0].path).toBe("task.deadline");
    const missing = await t.mutate("tasks.createTask", { taskId: newTaskId(), task: def({ dependencies: [newTaskId()] }) });
    expect(missing.status).toBe(400);
    // drain it for the next tests
    await claimOne();
    await t.api.tasks.cancelTask({ taskId });
  });

  it("reclaims a running run, refuses once resolved, and retries worker-shutdown while retries are left", async () => {
    clock.set(T0 + 2 * 3600_000);
    const { taskId } = await create({ taskQueueId: "prov/retry", retries: 1 });
    const claimed = await claimOne("prov/retry");
    clock.advance(60_000);
    const re = await t.api.tasks.reclaimTask({ taskId, runId: 0 });
    expect(new Date(re.takenUntil).getTime()).toBe(clock.now().getTime() + t.engine.tasks.options.claimTimeoutMs);
    expect(new Date(re.takenUntil).getTime()).toBeGreaterThan(new Date(claimed.takenUntil).getTime());

    const r1 = await t.api.tasks.reportException({ taskId, runId: 0, reason: "worker-shutdown" });
    expect(r1.status.state).toBe("pending");
    expect(r1.status.retriesLeft).toBe(0);
    expect(r1.status.runs[1]).toMatchObject({ runId: 1, state: "pending", reasonCreated: "retry" });
    await expect(t.api.tasks.reclaimTask({ taskId, runId: 0 })).rejects.toMatchObject({ code: "CONFLICT" });
    // the same report again answers the status; another one is a conflict
    await t.api.tasks.reportException({ taskId, runId: 0, reason: "worker-shutdown" });
    await expect(t.api.tasks.reportCompleted({ taskId, runId: 0 })).rejects.toMatchObject({ code: "CONFLICT" });

    await claimOne("prov/retry");
    const r2 = await t.api.tasks.reportException({ taskId, runId: 1, reason: "intermittent-task" });
    expect(r2.status.state).toBe("exception"); // no retries left
    expect(r2.status.runs).toHaveLength(2);
  });

  it("reruns a resolved task and cancels unscheduled, pending and running ones", async () => {
    const { taskId } = await create({ taskQueueId: "prov/rerun" });
    await claimOne("prov/rerun");
    await t.api.tasks.reportCompleted({ taskId, runId: 0 });
    const rerun = await t.api.tasks.rerunTask({ taskId });
    expect(rerun.status.runs[1]).toMatchObject({ runId: 1, state: "pending", reasonCreated: "rerun" });
    const pending = await t.api.tasks.cancelTask({ taskId });
    expect(pending.status.runs[1]).toMatchObject({ state: "exception", reasonResolved: "canceled" });
    expect(pending.status.state).toBe("exception");

    const blocker = await create({ taskQueueId: "prov/rerun2" });
    const waiting = await create({ taskQueueId: "prov/rerun2", dependencies: [blocker.taskId] });
    const canceled = await t.api.tasks.cancelTask({ taskId: waiting.taskId });
    expect(canceled.status.runs).toMatchObject([{ runId: 0, reasonCreated: "exception", reasonResolved: "canceled" }]);
    await claimOne("prov/rerun2");
    const running = await t.api.tasks.cancelTask({ taskId: blocker.taskId });
    expect(running.status.runs[0]).toMatchObject({ state: "exception", reasonResolved: "canceled", workerId: "w1" });
  });

  it("seals a group against new tasks and cancels every unresolved task of it", async () => {
    const group = newTaskId();
    const running = await create({ taskQueueId: "prov/group", taskGroupId: group });
    const pending = await create({ taskQueueId: "prov/group", taskGroupId: group });
    const waiting = await create({ taskQueueId: "prov/group", taskGroupId: group, dependencies: [running.taskId] });
    const done = await create({ taskQueueId: "prov/group-done", taskGroupId: group });
    await claimOne("prov/group-done");
    await t.api.tasks.reportCompleted({ taskId: done.taskId, runId: 0 });
    await t.api.tasks.claimWork({ taskQueueId: "prov/group", ...worker, tasks: 1 });
    const sealed = await t.api.tasks.sealTaskGroup({ taskGroupId: group });
    expect(sealed.sealed).toBe(clock.now().toISOString());
    await expect(create({ taskQueueId: "prov/group", taskGroupId: group })).rejects.toMatchObject({ code: "CONFLICT" });
    const r = await t.api.tasks.cancelTaskGroup({ taskGroupId: group });
    expect(r.taskGroupSize).toBe(4);
    expect(r.taskIds.sort()).toEqual([running.taskId, pending.taskId, waiting.taskId].sort());
    for (const id of r.taskIds) {
      const s = (await t.api.tasks.status({ taskId: id })).status;
      expect(s.state).toBe("exception");
      expect(s.runs.at(-1)!.reasonResolved).toBe("canceled");
    }
    expect((await t.api.tasks.getTaskGroup({ taskGroupId: group })).resolved).toBe(clock.now().toISOString());
    expect((await t.api.tasks.cancelTaskGroup({ taskGroupId: group })).cancelledCount).toBe(0);
  });

  it("a lapsed claim resolves exception / claim-expired and retries", async () => {
    const { taskId } = await create({ taskQueueId: "prov/lapse" });
    await claimOne("prov/lapse");
    clock.advance(t.engine.tasks.options.claimTimeoutMs - 1000);
    expect(await maintenance.expireClaims()).toBe(0);
    clock.advance(2000);
    expect(await maintenance.expireClaims()).toBe(1);
    const s = (await t.api.tasks.status({ taskId })).status;
    expect(s.runs).toMatchObject([
      { runId: 0, state: "exception", reasonResolved: "claim-expired" },
      { runId: 1, state: "pending", reasonCreated: "retry" },
    ]);
    expect(s.retriesLeft).toBe(4);
    expect((await t.api.tasks.taskQueueCounts({ taskQueueId: "prov/lapse" }))).toEqual({
      taskQueueId: "prov/lapse", pendingTasks: 1, claimedTasks: 0,
    });
    const pending = await t.api.tasks.listPendingTasks({ taskQueueId: "prov/lapse", limit: 10 });
    expect(pending.tasks).toMatchObject([{ taskId, runId: 1, task: { taskQueueId: "prov/lapse" } }]);
    await create({ taskQueueId: "prov/lapse", priority: "high" });
    await create({ taskQueueId: "prov/lapse" });
    const first = await t.api.tasks.listPendingTasks({ taskQueueId: "prov/lapse", limit: 2 });
    expect(first.tasks[0]!.task.priority).toBe("high");
    const second = await t.api.tasks.listPendingTasks({ taskQueueId: "prov/lapse", limit: 2, continuationToken: first.continuationToken });
    expect(second.tasks).toHaveLength(1);
    expect(second.continuationToken).toBeUndefined();
    await expect(t.api.tasks.listPendingTasks({ taskQueueId: "prov/lapse", limit: 2, continuationToken: "bogus" }))
      .rejects.toMatchObject({ code: "BAD_REQUEST" });
    const claimed = await t.api.tasks.claimWork({ taskQueueId: "prov/lapse", ...worker, tasks: 3 });
    const listed = await t.api.tasks.listClaimedTasks({ taskQueueId: "prov/lapse", limit: 10 });
    expect(listed.tasks.map((x) => x.taskId).sort()).toEqual(claimed.tasks.map((x) => x.status.taskId).sort());
    expect(listed.tasks[0]).toMatchObject({ workerGroup: "wg", workerId: "w1" });
  });

  it("claimWork waits for work and is woken by the createTask's NOTIFY", async () => {
    t.engine.tasks.options.claimWaitMs = 15_000;
    const started = Date.now();
    const waiting = t.api.tasks.claimWork({ taskQueueId: "prov/wake", ...worker, tasks: 4 });
    await new Promise((r) => setTimeout(r, 200)); // let it find nothing and start waiting
    const { taskId } = await create({ taskQueueId: "prov/wake" });
    const r = await waiting;
    expect(r.tasks.map((x) => x.status.taskId)).toEqual([taskId]);
    expect(Date.now() - started).toBeLessThan(10_000);
    t.engine.tasks.options.claimWaitMs = 300;
  });

  it("checks Taskcluster's scopes; a task the caller may not see answers like a missing one", async () => {
    const { taskId } = await create({ taskQueueId: "prov/scoped" });
    const nobody = callerWith([]);
    await expect(nobody.tasks.status({ taskId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(nobody.tasks.status({ taskId: newTaskId() })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const reader = callerWith(["tasks:read:demo/*"]);
    expect((await reader.tasks.status({ taskId })).status.taskId).toBe(taskId);
    await expect(reader.tasks.cancelTask({ taskId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(reader.tasks.createTask({ taskId: newTaskId(), task: def() as never }))
      .rejects.toMatchObject({ code: "FORBIDDEN" });
    const creator = callerWith(["queue:create-task:high:prov/scoped", "queue:create-task:project:demo", "queue:scheduler-id:tests"]);
    await creator.tasks.createTask({ taskId: newTaskId(), task: def({ taskQueueId: "prov/scoped", priority: "low" }) as never });
    await expect(creator.tasks.createTask({ taskId: newTaskId(), task: def({ taskQueueId: "prov/scoped", priority: "highest" }) as never }))
      .rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(creator.tasks.createTask({ taskId: newTaskId(), task: def({ taskQueueId: "prov/scoped", scopes: ["secrets:get:x"] }) as never }))
      .rejects.toMatchObject({ code: "FORBIDDEN" });
    const canceler = callerWith([`queue:cancel-task-in-project:demo`]);
    expect((await canceler.tasks.cancelTask({ taskId })).status.state).toBe("exception");
    const claimer = callerWith(["queue:claim-work:prov/scoped"]);
    await expect(claimer.tasks.claimWork({ taskQueueId: "prov/scoped", ...worker, tasks: 1 })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("fan-in: many dependencies resolving at once schedule their dependent exactly once", async () => {
    const q = "prov/fanin";
    const deps = [];
    for (let i = 0; i < 12; i++) deps.push((await create({ taskQueueId: q })).taskId);
    const sink = await create({ taskQueueId: "prov/fanin-sink", dependencies: deps });
    const claimed = await t.api.tasks.claimWork({ taskQueueId: q, ...worker, tasks: 12 });
    expect(claimed.tasks).toHaveLength(12);
    await Promise.all(claimed.tasks.map((c) => t.api.tasks.reportCompleted({ taskId: c.status.taskId, runId: c.runId })));
    const s = (await t.api.tasks.status({ taskId: sink.taskId })).status;
    expect(s.state).toBe("pending");
    expect(s.runs).toHaveLength(1);
    const scheduled = await t.db.sql.query(
      `SELECT count(*)::int AS n FROM event_log WHERE entity_kind = 'task_run' AND entity_id = $1 AND action = 'pending'`,
      [`${sink.taskId}/0`]);
    expect(scheduled.rows[0].n).toBe(1);
  });

  it("a quarantined worker gets no work; GC removes expired tasks with their runs", async () => {
    const { taskId } = await create({ taskQueueId: "prov/quarantine", expires: new Date(clock.now().getTime() + 7200_000).toISOString() });
    await t.api.tasks.claimWork({ taskQueueId: "prov/quarantine", workerGroup: "wg", workerId: "bad", tasks: 1 })
      .then((r) => t.api.tasks.reportCompleted({ taskId: r.tasks[0]!.status.taskId, runId: 0 }));
    const until = new Date(clock.now().getTime() + 60_000).toISOString();
    const q = await t.api.tasks.quarantineWorker({ provisionerId: "prov", workerType: "quarantine", workerGroup: "wg", workerId: "bad",
      quarantineUntil: until });
    expect(q).toMatchObject({ workerId: "bad", quarantineUntil: until, recentTasks: [{ taskId, runId: 0 }] });
    const listed = await t.api.tasks.listWorkers({ provisionerId: "prov", workerType: "quarantine", quarantined: true, limit: 10 });
    expect(listed.workers.map((w) => w.workerId)).toEqual(["bad"]);
    expect((await t.api.tasks.getTaskQueue({ taskQueueId: "prov/quarantine" })).taskQueueId).toBe("prov/quarantine");
    const queues = await t.api.tasks.listTaskQueues({ limit: 1000 });
    expect(queues.taskQueues.map((x) => x.taskQueueId)).toContain("prov/quarantine");
    await create({ taskQueueId: "prov/quarantine" });
    expect((await t.api.tasks.claimWork({ taskQueueId: "prov/quarantine", workerGroup: "wg", workerId: "bad", tasks: 1 })).tasks).toEqual([]);
    expect((await t.api.tasks.claimWork({ taskQueueId: "prov/quarantine", workerGroup: "wg", workerId: "good", tasks: 1 })).tasks)
      .toHaveLength(1);
    clock.advance(7200_000 + 1);
    expect(await maintenance.collect()).toBeGreaterThanOrEqual(1);
    await expect(t.api.tasks.status({ taskId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const runs = await t.db.sql.query(`SELECT count(*)::int AS n FROM task_run WHERE task_id = $1`, [taskId]);
    expect(runs.rows[0].n).toBe(0);
  });

  it("task events are visible through tasks:read of their project and task queue", () => {
    const e = { project: "demo", entityKind: "task_run", entityId: "x/0", payload: { taskQueueId: "prov/linux" } } as never;
    const none = { queue: null, job: null, request: null, requestType: null };
    const holding = (held: string[]) => (build: () => string) => new HeldScopes(held).satisfies(build());
    expect(visibleTo(holding(["tasks:read:demo/*"]), e, none)).toBe(true);
    expect(visibleTo(holding(["tasks:read:demo/prov/linux"]), e, none)).toBe(true);
    expect(visibleTo(holding(["tasks:read:demo/prov/other"]), e, none)).toBe(false);
    expect(visibleTo(holding(["queues:read:demo/*"]), e, none)).toBe(false);
  });
});
