import type { Sql } from "@hourglass/db";
import { Batcher } from "../../batcher.ts";
import type { EngineContext } from "../../context.ts";
import { withTransaction } from "../../transaction.ts";
import { HourglassError } from "../../errors.ts";
import { execute, type ExecuteOptions } from "../../executors/index.ts";
import type { ExecutionInput, ExecutionResult } from "../../executors/types.ts";
import { schedulerTaskSchema, type JobDefinition, type SchedulerTask } from "../catalog.ts";
import { IDLE, invocationFinished } from "../cron-machine.ts";
import type { RequestRunner } from "../hooks.ts";
import { ACTIVE_INVOCATION_STATES, type FinalInvocationState, type InvocationState } from "../invocation-states.ts";
import { emitTriggers } from "../sql/emitTriggers.ts";
import { SCHEDULER_ACTOR } from "../sql/events.ts";
import { finishInvocations } from "../sql/finishInvocations.ts";
import { launchInvocations, type StartedInvocation } from "../sql/launchInvocations.ts";
import { recordTaskRun } from "../sql/recordTaskRun.ts";
import { recordTriage } from "../sql/recordTriage.ts";
import { retryInvocation } from "../sql/retryInvocation.ts";
import type { TriggeringPolicy } from "../policies.ts";
import { decideTriage } from "../triage-decision.ts";
import { pendingTriggerSql } from "../trigger-states.ts";
import { AbortWatch } from "./abort-watch.ts";
import { continueBackfills } from "./backfills.ts";
import { pauseJobsOnFailure } from "./pause-on-failure.ts";
import { appendDebugLog, logLine } from "./debug-log.ts";
import { fireTimers, timerJobKey, type FiringTimer } from "./tick-timers.ts";
import { TaskOutputLog } from "./task-output.ts";
import { taskRun, type TaskRun } from "./task-runs.ts";
import { TriageLog } from "./triage-log.ts";

/** How often a lost launch (the worker died mid-run) is retried before the invocation fails. */
export const LAUNCH_RETRY_LIMIT = 3;
/** How long ends may wait for firing ticks to finish. */
const FINISH_YIELD_MS = 1000;

/** One invocation to move to a final state, guarded by the states it may be in. */
export interface Finish {
  id: string;
  jobKey: string;
  to: FinalInvocationState;
  from: readonly InvocationState[];
  /** Who ended it (abort); recorded as aborted_by and as its event's actor. */
  by?: string;
  /** Its event's actor when not `by` (default: the scheduler). */
  actor?: string;
  /** Its event's reason. */
  reason?: string;
  /** Debug-log lines to append before the final one. */
  log?: string;
  /** The task run that ended it, appended to its task_runs. */
  run?: TaskRun;
}

interface Launch { id: string; line: string }

export interface InvocationRunnerOptions {
  /** Runs tasks of kind `request` (SchedulerHooks.requests); without it they fail. */
  requests?: RequestRunner;
  /** Who this worker's transitions are recorded as ("worker:<name>"; default: the scheduler). */
  actor?: string;
}

/**
 * Runs invocations: the handler of the internal invocations queue. The
 * invocation row is the record (its state, log and outcome); the queue job
 * only carries it, so it succeeds whatever the task did. Every transition is
 * guarded by the expected state, so an abort that lands meanwhile wins.
 * Starts and ends of the invocations running at once are written in
 * set-based batches (a minute's cron slot can start thousands together).
 */
export class InvocationRunner {
  private readonly launches: Batcher<Launch, StartedInvocation | null>;
  private readonly finishes: Batcher<Finish, boolean>;
  private readonly fires: Batcher<FiringTimer, StartedInvocation | null>;
  private readonly aborts: AbortWatch;

  private readonly requests?: RequestRunner;
  private readonly actor: string;

  constructor(private readonly ctx: EngineContext, private readonly options: ExecuteOptions, o: InvocationRunnerOptions = {}) {
    this.requests = o.requests;
    const actor = (this.actor = o.actor ?? SCHEDULER_ACTOR);
    this.launches = new Batcher((items) => launchInvocations(ctx.db.sql, ctx.clock.now(), items, actor));
    this.aborts = new AbortWatch(ctx.db.sql);
    // two firing transactions at once keep both database cores busy; each locks its job rows in key order
    this.fires = new Batcher((items) => withTransaction(ctx.db.pool,
      (sql) => fireTimers(sql, ctx.clock.now(), items, actor), { retryDeadlocks: true }), 500, 2);
    // Ends wait (up to FINISH_YIELD_MS) while ticks are firing: in a slot's burst, starting invocations comes
    // before recording the ends of those already done, which then go in larger batches.
    this.finishes = new Batcher(async (items) => {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, FINISH_YIELD_MS);
        void this.fires.idle().then(() => (clearTimeout(timer), resolve()));
      });
      return countFinished(ctx, items, await withTransaction(ctx.db.pool, (sql) => finishInTransaction(sql, ctx.clock.now(), items), { retryDeadlocks: true }));
    });
  }

  async run(input: ExecutionInput, signal: AbortSignal): Promise<ExecutionResult> {
    const { ctx } = this;
    const sql = ctx.db.sql;
    const now = () => ctx.clock.now();
    const queueJobId = input.jobDescriptor.slice(input.queueName.length + 1);
    let id: string;
    let started: StartedInvocation | null;
    const timerOf = timerJobKey(input.body);
    if (timerOf !== null) {
      // a tick timer: fire the tick; a quiet job's invocation starts right here
      started = await this.fires.add({ timerId: queueJobId, jobKey: timerOf });
      if (started) observeTickLag(ctx, started, now());
      const mine = started?.id ?? (await sql.query<{ id: string }>(
        `SELECT id::text AS id FROM scheduler_invocation WHERE timer_job_id = $1`, [queueJobId])).rows[0]?.id;
      if (!mine) return { succeeded: true }; // stale timer, or its tick went to triage
      id = mine;
    } else {
      id = input.body;
      // the common case: STARTING / RETRYING -> RUNNING
      started = await this.launches.add({ id, line: logLine(now(), "launching the task") });
      if (started) observeTickLag(ctx, started, now());
    }
    started ??= await this.relaunch(id);
    if (!started) return { succeeded: true }; // finished or aborted meanwhile, or relaunched by someone else
    const task = schedulerTaskSchema.parse(started.task);
    if (task.kind === "request") {
      await this.startRequest(started, task);
      return { succeeded: true };
    }

    await this.runTask(started, task, input, signal);
    return { succeeded: true };
  }

  /**
   * Runs the task of a RUNNING invocation. Its output streams into the debug
   * log while it runs (TaskOutputLog); the run (outcome, exit code, bounded
   * output) is recorded with the invocation's end, or on its own when the
   * invocation already ended (aborted) or the worker is shutting down.
   */
  private async runTask(
    started: StartedInvocation, task: Exclude<SchedulerTask, { kind: "request" }>, input: ExecutionInput, signal: AbortSignal,
  ): Promise<void> {
    const { ctx } = this;
    const id = started.id;
    const now = () => ctx.clock.now();
    const body = JSON.stringify({ invocation: id, job: started.job_key, triggers: started.incoming_triggers });
    const taskInput = { ...input, jobDescriptor: `invocation:${id}`, body };
    if (task.kind === "noop") {
      // ends as it starts: nothing to abort, nothing printed, no run to record
      const result = await execute(task, taskInput, signal, this.options);
      const at = now();
      const log = logLine(at, "ran noop task") + logLine(at, result.succeeded ? "task succeeded" : "task failed");
      const to = result.succeeded ? "SUCCEEDED" : "FAILED";
      const reason = result.succeeded ? "" : (result.error ?? "task failed");
      await this.finishes.add({ id, jobKey: started.job_key, to, from: ["RUNNING"], log, actor: this.actor, reason });
      return;
    }
    const output = new TaskOutputLog(ctx.db.sql, id, now, ctx.logger);
    const startedAt = now();
    const watched = this.aborts.watch(id, signal);
    let result: ExecutionResult;
    try {
      const onOutput = (stream: "stdout" | "stderr", chunk: Buffer) => output.push(stream, chunk);
      result = await execute(task, taskInput, watched.signal, { ...this.options, onOutput });
    } finally {
      watched.done();
    }
    // a handler's output comes with its result; shell and http output has streamed already
    if (task.kind === "handler") {
      if (result.stdout) output.push("stdout", Buffer.from(result.stdout));
      if (result.stderr) output.push("stderr", Buffer.from(result.stderr));
    }
    await output.close();
    const at = now();
    // a task that finished before the shutdown reached it counts as finished
    const outcome = watched.abortedByApi() ? "ABORTED"
      : signal.aborted && !result.succeeded ? "INTERRUPTED" : result.succeeded ? "SUCCEEDED" : "FAILED";
    const run = taskRun(outcome, startedAt, at, result);
    const lines = [`ran ${task.kind} task`];
    if (result.exitCode !== undefined && result.exitCode !== null) lines.push(`exit code ${result.exitCode}`);
    if (result.httpStatus) lines.push(`HTTP ${result.httpStatus}`);
    if (outcome === "ABORTED") lines.push("task killed: the invocation was aborted");
    else if (result.error) lines.push(`error: ${result.error}`);
    if (outcome === "INTERRUPTED") lines.push("worker shutting down; the invocation will be relaunched");
    if (outcome === "SUCCEEDED") lines.push("task succeeded");
    if (outcome === "FAILED") lines.push("task failed");
    const log = lines.map((l) => logLine(at, l)).join("");
    if (outcome === "SUCCEEDED" || outcome === "FAILED") {
      const reason = runReason(result);
      const ended = await this.finishes.add({
        id, jobKey: started.job_key, to: outcome, from: ["RUNNING"], log, run, actor: this.actor, reason,
      });
      if (ended) return;
    }
    // the invocation ended without this run (aborted), or stays RUNNING for the next launch (shutdown)
    const why = outcome === "ABORTED" ? "the invocation was aborted" : "worker shutting down";
    await recordTaskRun(ctx.db.sql, at, id, run, log, why, this.actor);
    if (outcome === "INTERRUPTED") throw new Error("interrupted by worker shutdown");
  }

  /**
   * An invocation already RUNNING when its carrier runs again: the previous
   * launch was lost (its worker died). Moves it to RETRYING and launches it
   * again, up to LAUNCH_RETRY_LIMIT times, then fails it. One found RETRYING
   * (the carrier that retried it died before launching) is launched. Null
   * when there is nothing to run.
   */
  private async relaunch(id: string): Promise<StartedInvocation | null> {
    const { ctx } = this;
    const sql = ctx.db.sql;
    const now = () => ctx.clock.now();
    const inv = (await sql.query<{ state: InvocationState; job_key: string; retry_count: number }>(
      `SELECT state::text AS state, job_key, retry_count FROM scheduler_invocation WHERE id = $1`, [id])).rows[0];
    if (!inv || (inv.state !== "RUNNING" && inv.state !== "RETRYING")) return null;
    if (inv.state === "RUNNING") {
      const lost = inv.retry_count + 1;
      if (lost > LAUNCH_RETRY_LIMIT) {
        await this.finishes.add({
          id, jobKey: inv.job_key, to: "FAILED", from: ["RUNNING"], actor: this.actor,
          reason: `launch lost ${lost} times`, log: logLine(now(), `launch lost ${lost} times; giving up`),
        });
        return null;
      }
      const line = logLine(now(), `previous launch was lost (worker stopped?); retry ${lost} of ${LAUNCH_RETRY_LIMIT}`);
      const retried = await retryInvocation(sql, now(), id, inv.retry_count, line,
        `previous launch was lost; retry ${lost} of ${LAUNCH_RETRY_LIMIT}`, this.actor);
      if (!retried) return null; // another carrier retried it, or it ended meanwhile
    }
    return this.launches.add({ id, line: "" });
  }

  /**
   * Task kind `request`: creates the request linked to this invocation and
   * starts it; the invocation stays RUNNING until the request ends (the chain
   * runner ends it in the same transaction). Idempotent across relaunches:
   * an invocation has at most one request (unique index), found again here.
   */
  private async startRequest(started: StartedInvocation, task: Extract<SchedulerTask, { kind: "request" }>): Promise<void> {
    const { ctx } = this;
    const sql = ctx.db.sql;
    const caller = { id: `scheduler:${started.job_key}` };
    const fail = (why: string) => this.finishes.add({
      id: started.id, jobKey: started.job_key, to: "FAILED", from: ["RUNNING"], actor: this.actor,
      reason: `could not run request ${task.type}: ${why}`, log: logLine(ctx.clock.now(), `could not run request ${task.type}: ${why}`),
    });
    if (!this.requests) return void (await fail("this worker does not run requests"));
    const existing = () => sql.query<{ id: string; state: string }>(
      `SELECT id, state::text AS state FROM request WHERE invocation_id = $1`, [started.id]).then((r) => r.rows[0]);
    let request = await existing();
    try {
      if (!request) {
        const created = await this.requests.create(caller, { type: task.type, args: task.args, start: false }, { invocationId: started.id });
        request = { id: created.id, state: created.state };
        await sql.query(`UPDATE scheduler_invocation SET view_url = $2 WHERE id = $1`, [started.id, `/requests/${created.id}`]);
        await appendDebugLog(sql, started.id, ctx.clock.now(), `created request ${created.id} (${task.type}, ${created.totalJobs} jobs)`);
      }
      if (request.state === "PENDING") {
        await this.requests.start(caller, request.id);
        await appendDebugLog(sql, started.id, ctx.clock.now(), `started request ${request.id}; the invocation ends when the request does`);
      }
    } catch (err) {
      if (err instanceof HourglassError && err.code === "REQUEST_INVALID") return void (await fail(err.message));
      if (err instanceof HourglassError && err.code === "CONFLICT") return; // another launch started it
      if ((err as { code?: string }).code === "23505") return; // another launch created it
      throw err;
    }
  }
}

/** The reason an ended run's event gives: its exit code or HTTP status, and its error. */
function runReason(r: ExecutionResult): string {
  const parts: string[] = [];
  if (r.exitCode !== undefined && r.exitCode !== null) parts.push(`exit code ${r.exitCode}`);
  if (r.httpStatus) parts.push(`HTTP ${r.httpStatus}`);
  if (r.error) parts.push(r.error.length > 500 ? `${r.error.slice(0, 500)}…` : r.error);
  return parts.join("; ");
}

/**
 * Every job an end touched needs a triage. A quiet one (its invocation ended,
 * no trigger pending, none arriving in this transaction, not continuous, no
 * triage already asked for) would find nothing to start, so it is triaged
 * right here (triage-decision.ts; its policy starts nothing from nothing):
 * its triage log says so, and the row update touches no indexed column
 * (PostgreSQL can update it in place). The others are queued for the triage
 * service. Job rows are locked in key order first, so concurrent batches
 * cannot deadlock on them and the pending check sees every trigger committed
 * before the lock.
 */
async function triageTouched(sql: Sql, now: Date, touched: string[], targets: Set<string>, ended: Finish[]): Promise<void> {
  const t0 = performance.now();
  const locked = (await sql.query<{ key: string; requested: boolean; continuous: boolean; policy: TriggeringPolicy }>(
    `SELECT key, triage_requested_at IS NOT NULL AS requested, definition->'schedule'->>'kind' = 'continuously' AS continuous,
            definition->'policy' AS policy
       FROM scheduler_job WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE`, [touched])).rows;
  const policyOf = new Map(locked.map((j) => [j.key, j.policy]));
  const candidates = locked.filter((j) => !targets.has(j.key) && !j.requested && !j.continuous).map((j) => j.key);
  const quiet = candidates.length === 0 ? [] : (await sql.query<{ key: string; active: number }>(
    `SELECT j.key, (SELECT count(*) FROM scheduler_invocation i WHERE i.job_key = j.key AND i.state = ANY($2::"InvocationState"[]))::int AS active
       FROM unnest($1::text[]) AS j(key)
      WHERE NOT EXISTS (SELECT 1 FROM scheduler_trigger t WHERE t.job_key = j.key AND ${pendingTriggerSql("t")})`,
    [candidates, ACTIVE_INVOCATION_STATES])).rows;
  const quietKeys = new Set(quiet.map((q) => q.key));
  const queued = touched.filter((k) => !quietKeys.has(k));
  if (queued.length > 0) await sql.query(`UPDATE scheduler_job SET triage_requested_at = $2 WHERE key = ANY($1::text[])`, [queued, now]);
  if (quiet.length === 0) return;
  const endedBy = new Map<string, Finish[]>();
  for (const e of ended) endedBy.set(e.jobKey, [...(endedBy.get(e.jobKey) ?? []), e]);
  await recordTriage(sql, now, quiet.map((q) => {
    const log = new TriageLog(t0);
    for (const e of endedBy.get(q.key) ?? []) log.say(`invocation ${e.id} ended: ${e.to}`);
    decideTriage({ policy: policyOf.get(q.key)!, blocked: null, pending: [], active: q.active, now: now.getTime() }, log);
    return { key: q.key, log: log.done().join("\n"), requested: null };
  }));
}

/**
 * Ends invocations outside a batch (abort from the API); true for each that
 * was still in one of its `from` states. `then` runs in the same transaction
 * with the outcome (an operator action's own event).
 */
export async function finish(
  ctx: EngineContext, items: Finish[], then?: (sql: Sql, now: Date, ended: boolean[]) => Promise<void>,
): Promise<boolean[]> {
  const ended = await withTransaction(ctx.db.pool, async (sql) => {
    const now = ctx.clock.now();
    const r = await finishInTransaction(sql, now, items);
    await then?.(sql, now, r);
    return r;
  }, { retryDeadlocks: true });
  return countFinished(ctx, items, ended);
}

/** Counts the ends that applied in `hourglass_invocations_finished_total`; returns `ended` (after the commit). */
function countFinished(ctx: EngineContext, items: Finish[], ended: boolean[]): boolean[] {
  items.forEach((item, i) => ended[i] && ctx.metrics.invocationsFinished.inc({ state: item.to }));
  return ended;
}

/**
 * `hourglass_scheduler_tick_lag_seconds`: for each cron slot an invocation
 * just started RUNNING with (its incoming cron triggers name their slot), how
 * long after the slot that was. Whether the tick timer started it on the dot
 * or a triage did later, this is the delay a user of the schedule sees.
 */
function observeTickLag(ctx: EngineContext, started: StartedInvocation, runningAt: Date): void {
  if (!Array.isArray(started.incoming_triggers)) return;
  for (const t of started.incoming_triggers as { emittedBy?: string; properties?: { slot?: unknown } }[]) {
    if (t?.emittedBy !== "cron" || typeof t.properties?.slot !== "string") continue;
    const slotAt = Date.parse(t.properties.slot);
    if (Number.isFinite(slotAt)) ctx.metrics.tickLag.observe(Math.max(0, runningAt.getTime() - slotAt) / 1000);
  }
}

/**
 * Moves invocations to final states (each guarded by its `from`), then: a
 * success triggers the jobs its job lists under `triggers`; every job touched
 * is triaged (see triageTouched); an interval schedule re-arms from now. Must run inside
 * one transaction, so nobody sees a finished invocation without its outgoing
 * triggers. Job rows are locked in key order, so concurrent batches cannot
 * deadlock on them.
 */
export async function finishInTransaction(sql: Sql, now: Date, items: Finish[]): Promise<boolean[]> {
  const ended = await finishInvocations(sql, now, items.map((i) => ({
    id: i.id, to: i.to, from: i.from, abortedBy: i.by, actor: i.actor ?? i.by ?? SCHEDULER_ACTOR, reason: i.reason ?? "",
    log: (i.log ?? "") + logLine(now, `invocation ${i.to}${i.by ? ` by ${i.by}` : ""}`),
    run: i.run ? JSON.stringify(i.run) : undefined,
  })));
  const endedIds = new Set(ended.map((e) => e.id));
  const done = items.filter((i) => endedIds.has(i.id));
  if (done.length === 0) return items.map(() => false);

  const jobKeys = [...new Set(done.map((i) => i.jobKey))];
  const definitions = new Map((await sql.query<{ key: string; definition: JobDefinition }>(
    `SELECT key, definition FROM scheduler_job WHERE key = ANY($1::text[])`, [jobKeys])).rows.map((r) => [r.key, r.definition]));

  const out = { job: [] as string[], triggerId: [] as string[], title: [] as string[], from: [] as string[], invocation: [] as string[] };
  const outgoing: { id: string; triggers: string }[] = [];
  const rearm: { key: string; at: Date }[] = [];
  for (const i of done) {
    const definition = definitions.get(i.jobKey);
    if (!definition) continue;
    if (i.to === "SUCCEEDED" && definition.triggers.length > 0) {
      const project = i.jobKey.split("/")[0]!;
      const targets = definition.triggers.map((t) => `${project}/${t}`);
      const triggerId = `invocation:${i.id}`;
      for (const target of targets) {
        out.job.push(target);
        out.triggerId.push(triggerId);
        out.title.push(`triggered by ${i.jobKey} invocation ${i.id}`);
        out.from.push(i.jobKey);
        out.invocation.push(i.id);
      }
      outgoing.push({ id: i.id, triggers: JSON.stringify(targets.map((job) => ({ id: triggerId, job }))) });
    }
    const next = invocationFinished(IDLE, definition.schedule, now.getTime()).nextTickAt;
    if (next !== null) rearm.push({ key: i.jobKey, at: new Date(next) });
  }

  const touched = [...new Set([...jobKeys, ...out.job])].sort();
  await triageTouched(sql, now, touched, new Set(out.job), done);
  // with the job rows locked: a job that failed `pause_after_failures` times in a row pauses itself
  const failed = done.filter((i) => i.to === "FAILED");
  if (failed.length > 0) await pauseJobsOnFailure(sql, now, failed, definitions);
  // after the pause: a backfill of a job that paused itself stops there
  const inBackfills = ended.filter((e) => e.backfill !== null);
  if (inBackfills.length > 0) {
    const stateOf = new Map(done.map((i) => [i.id, i.to]));
    await continueBackfills(sql, now, inBackfills.map((e) => ({ backfill: e.backfill!, state: stateOf.get(e.id)! })));
  }
  if (out.job.length > 0) {
    await emitTriggers(sql, now, out.job.map((job, k) => ({
      jobKey: job, triggerId: out.triggerId[k]!, title: out.title[k]!, url: null, createdAt: now, emittedBy: out.from[k]!,
      properties: { invocation: out.invocation[k]! }, tags: [],
    })), SCHEDULER_ACTOR);
    await sql.query(
      `UPDATE scheduler_invocation i SET outgoing_triggers = u.triggers::jsonb FROM unnest($1::bigint[], $2::text[]) AS u(id, triggers) WHERE i.id = u.id`,
      [outgoing.map((o) => o.id), outgoing.map((o) => o.triggers)]);
  }
  if (rearm.length > 0) {
    // an interval counts from this end; guarded so a pause or a newer arm is not overwritten
    await sql.query(
      `UPDATE scheduler_job j SET next_tick_at = u.at FROM unnest($1::text[], $2::timestamptz[]) AS u(key, at)
        WHERE j.key = u.key AND j.next_tick_at IS NULL AND j.paused_at IS NULL AND j.removed_at IS NULL`,
      [rearm.map((r) => r.key), rearm.map((r) => r.at)]);
  }
  return items.map((i) => endedIds.has(i.id));
}
