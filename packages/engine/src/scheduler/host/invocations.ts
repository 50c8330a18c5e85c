import type { Sql } from "@hourglass/db";
import { Batcher } from "../../batcher.ts";
import type { EngineContext } from "../../context.ts";
import { withTransaction } from "../../transaction.ts";
import type { Requests } from "../../chains/service.ts";
import { HourglassError } from "../../errors.ts";
import { execute, type ExecuteOptions } from "../../executors/index.ts";
import type { ExecutionInput, ExecutionResult } from "../../executors/types.ts";
import { schedulerTaskSchema, type JobDefinition, type SchedulerTask } from "../catalog.ts";
import { IDLE, invocationFinished } from "../cron-machine.ts";
import { AbortWatch } from "./abort-watch.ts";
import { appendDebugLog, DEBUG_LOG_LIMIT, logLine } from "./debug-log.ts";
import { fireTimers, timerJobKey, type FiringTimer, type StartedInvocation } from "./tick-timers.ts";
import { TaskOutputLog } from "./task-output.ts";
import { recordTaskRun, taskRun, type TaskRun } from "./task-runs.ts";
import { TriageLog } from "./triage-log.ts";
import { ACTIVE_INVOCATION_STATES } from "../job-state.ts";

/** How often a lost launch (the worker died mid-run) is retried before the invocation fails. */
export const LAUNCH_RETRY_LIMIT = 3;
/** How long ends may wait for firing ticks to finish. */
const FINISH_YIELD_MS = 1000;

type FinalState = "SUCCEEDED" | "FAILED" | "ABORTED";

/** One invocation to move to a final state, guarded by the states it may be in. */
export interface Finish {
  id: string;
  jobKey: string;
  to: FinalState;
  from: string[];
  /** Who ended it (abort); recorded as aborted_by. */
  by?: string;
  /** Debug-log lines to append before the final one. */
  log?: string;
  /** The task run that ended it, appended to its task_runs. */
  run?: TaskRun;
}

interface Launch { id: string; line: string }

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

  /** `requests` runs tasks of kind `request`; without it they fail. */
  constructor(private readonly ctx: EngineContext, private readonly options: ExecuteOptions, private readonly requests?: Requests) {
    this.launches = new Batcher((items) => launchMany(ctx.db.sql, items));
    this.aborts = new AbortWatch(ctx.db.sql);
    // two firing transactions at once keep both database cores busy; each locks its job rows in key order
    this.fires = new Batcher((items) => withTransaction(ctx.db.pool, (sql) => fireTimers(sql, ctx.clock.now(), items), { retryDeadlocks: true }), 500, 2);
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
      await this.finishes.add({ id, jobKey: started.job_key, to, from: ["RUNNING"], log });
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
      const ended = await this.finishes.add({ id, jobKey: started.job_key, to: outcome, from: ["RUNNING"], log, run });
      if (ended) return;
    }
    // the invocation ended without this run (aborted), or stays RUNNING for the next launch (shutdown)
    await recordTaskRun(ctx.db.sql, id, run, log);
    if (outcome === "INTERRUPTED") throw new Error("interrupted by worker shutdown");
  }

  /**
   * An invocation already RUNNING when its carrier runs again: the previous
   * launch was lost (its worker died). Retries up to LAUNCH_RETRY_LIMIT, then
   * fails it. Null when there is nothing to run.
   */
  private async relaunch(id: string): Promise<StartedInvocation | null> {
    const { ctx } = this;
    const sql = ctx.db.sql;
    const now = () => ctx.clock.now();
    const inv = (await sql.query<{ state: string; job_key: string; retry_count: number }>(
      `SELECT state::text AS state, job_key, retry_count FROM scheduler_invocation WHERE id = $1`, [id])).rows[0];
    if (!inv || inv.state !== "RUNNING") return null;
    if (inv.retry_count + 1 > LAUNCH_RETRY_LIMIT) {
      await this.finishes.add({ id, jobKey: inv.job_key, to: "FAILED", from: ["RUNNING"], log: logLine(now(), `launch lost ${inv.retry_count + 1} times; giving up`) });
      return null;
    }
    return (await sql.query<StartedInvocation>(
      `UPDATE scheduler_invocation SET retry_count = retry_count + 1, debug_log = right(debug_log || $3, ${DEBUG_LOG_LIMIT})
        WHERE id = $1 AND state = 'RUNNING' AND retry_count = $2 RETURNING id::text AS id, job_key, task, incoming_triggers`,
      [id, inv.retry_count, logLine(now(), `previous launch was lost (worker stopped?); retry ${inv.retry_count + 1} of ${LAUNCH_RETRY_LIMIT}`)])).rows[0] ?? null;
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
      id: started.id, jobKey: started.job_key, to: "FAILED", from: ["RUNNING"], log: logLine(ctx.clock.now(), `could not run request ${task.type}: ${why}`),
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

/** STARTING / RETRYING -> RUNNING for a batch; null for an invocation no longer in those states. */
async function launchMany(sql: Sql, items: Launch[]): Promise<(StartedInvocation | null)[]> {
  const r = await sql.query<StartedInvocation>(
    `UPDATE scheduler_invocation i SET state = 'RUNNING', debug_log = right(i.debug_log || u.line, ${DEBUG_LOG_LIMIT})
       FROM unnest($1::bigint[], $2::text[]) AS u(id, line)
      WHERE i.id = u.id AND i.state IN ('STARTING', 'RETRYING')
      RETURNING i.id::text AS id, i.job_key, i.task, i.incoming_triggers`,
    [items.map((i) => i.id), items.map((i) => i.line)], "hg_invocations_launch");
  const byId = new Map(r.rows.map((row) => [row.id, row]));
  return items.map((i) => byId.get(i.id) ?? null);
}

/**
 * Every job an end touched needs a triage. A quiet one (its invocation ended,
 * no trigger pending, none arriving in this transaction, not continuous, no
 * triage already asked for) would find nothing to start, so it is triaged
 * right here: its triage log says so, and the row update touches no indexed
 * column (PostgreSQL can update it in place). The others are queued for the
 * triage service. Job rows are locked in key order first, so concurrent
 * batches cannot deadlock on them and the pending check sees every trigger
 * committed before the lock.
 */
async function triageTouched(sql: Sql, now: Date, touched: string[], targets: Set<string>, ended: Finish[]): Promise<void> {
  const t0 = performance.now();
  const locked = (await sql.query<{ key: string; requested: boolean; continuous: boolean; policy: string }>(
    `SELECT key, triage_requested_at IS NOT NULL AS requested, definition->'schedule'->>'kind' = 'continuously' AS continuous,
            definition->'policy'->>'kind' AS policy
       FROM scheduler_job WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE`, [touched])).rows;
  const policyOf = new Map(locked.map((j) => [j.key, j.policy]));
  const candidates = locked.filter((j) => !targets.has(j.key) && !j.requested && !j.continuous).map((j) => j.key);
  const quiet = candidates.length === 0 ? [] : (await sql.query<{ key: string; active: number }>(
    `SELECT j.key, (SELECT count(*) FROM scheduler_invocation i WHERE i.job_key = j.key AND i.state = ANY($2::"InvocationState"[]))::int AS active
       FROM unnest($1::text[]) AS j(key)
      WHERE NOT EXISTS (SELECT 1 FROM scheduler_trigger t WHERE t.job_key = j.key AND t.invocation_id IS NULL AND t.discarded_at IS NULL)`,
    [candidates, ACTIVE_INVOCATION_STATES])).rows;
  const quietKeys = new Set(quiet.map((q) => q.key));
  const queued = touched.filter((k) => !quietKeys.has(k));
  if (queued.length > 0) await sql.query(`UPDATE scheduler_job SET triage_requested_at = $2 WHERE key = ANY($1::text[])`, [queued, now]);
  if (quiet.length === 0) return;
  const endedBy = new Map<string, Finish[]>();
  for (const e of ended) endedBy.set(e.jobKey, [...(endedBy.get(e.jobKey) ?? []), e]);
  const logs = quiet.map((q) => {
    const log = new TriageLog(t0);
    for (const e of endedBy.get(q.key) ?? []) log.say(`invocation ${e.id} ended: ${e.to}`);
    log.say(`0 pending trigger(s), ${q.active} active invocation(s)`);
    log.say(`policy ${policyOf.get(q.key)}: 0 invocation(s) to start, 0 trigger(s) to discard`);
    return log.done().join("\n");
  });
  await sql.query(
    `UPDATE scheduler_job j SET triage_log = u.log, last_triage_at = $1 FROM unnest($2::text[], $3::text[]) AS u(key, log) WHERE j.key = u.key`,
    [now, quiet.map((q) => q.key), logs]);
}

/** Ends invocations outside a batch (abort from the API); true for each that was still in one of its `from` states. */
export async function finish(ctx: EngineContext, items: Finish[]): Promise<boolean[]> {
  return countFinished(ctx, items, await withTransaction(ctx.db.pool, (sql) => finishInTransaction(sql, ctx.clock.now(), items), { retryDeadlocks: true }));
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
  const ended = await sql.query<{ id: string }>(
    `UPDATE scheduler_invocation i SET state = u.target::"InvocationState", finished_at = $1, aborted_by = u.by,
            debug_log = right(i.debug_log || u.log, ${DEBUG_LOG_LIMIT}),
            task_runs = CASE WHEN u.run IS NULL THEN i.task_runs ELSE i.task_runs || jsonb_build_array(u.run::jsonb) END
       FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u(id, target, origins, by, log, run)
      WHERE i.id = u.id AND i.state::text = ANY(string_to_array(u.origins, ','))
      RETURNING i.id::text AS id`,
    [now, items.map((i) => i.id), items.map((i) => i.to), items.map((i) => i.from.join(",")), items.map((i) => i.by ?? null),
      items.map((i) => (i.log ?? "") + logLine(now, `invocation ${i.to}${i.by ? ` by ${i.by}` : ""}`)),
      items.map((i) => (i.run ? JSON.stringify(i.run) : null))],
  );
  const endedIds = new Set(ended.rows.map((r) => r.id));
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
  if (out.job.length > 0) {
    await sql.query(
      `INSERT INTO scheduler_trigger (job_key, trigger_id, title, created_at, emitted_by, properties)
       SELECT u.job, u.trigger_id, u.title, $1, u.emitted_by, jsonb_build_object('invocation', u.invocation)
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u(job, trigger_id, title, emitted_by, invocation)
        WHERE EXISTS (SELECT 1 FROM scheduler_job j WHERE j.key = u.job AND j.paused_at IS NULL AND j.removed_at IS NULL)
       ON CONFLICT (job_key, trigger_id) DO NOTHING`,
      [now, out.job, out.triggerId, out.title, out.from, out.invocation]);
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
