import type { Sql } from "@hourglass/db";
import type { EngineContext } from "../../context.ts";
import { execute, type ExecuteOptions, type ExecutorConfig } from "../../executors/index.ts";
import type { ExecutionInput, ExecutionResult } from "../../executors/types.ts";
import { decodeCarrier, queueInternal } from "../../queue/internal.ts";
import { withTransaction } from "../../transaction.ts";
import { tellEnded, type ChainHooks } from "../hooks.ts";
import { afterFailure, mergeData, parseSetLines, type SequenceTries } from "../runner.ts";
import { Batcher } from "../../batcher.ts";
import { beginJobs, type BegunJob, type JobRow } from "../sql/beginJob.ts";
import { relaunchJob } from "../sql/relaunchJob.ts";
import { CHAIN_QUEUE_JOB, completeJob, type SucceededTry } from "../sql/completeJob.ts";
import { completeRequest } from "../sql/completeRequest.ts";
import { failIdleRequest } from "../sql/failIdleRequest.ts";
import { failJob } from "../sql/failJob.ts";
import { interruptJob } from "../sql/interruptJob.ts";
import { lockRequest } from "../sql/lockRequest.ts";
import { retrySequence } from "../sql/retrySequence.ts";
import { suspendRequest } from "../sql/suspendRequest.ts";
import { tryFailed, type EndedTry } from "../sql/tryFailed.ts";

/** The internal queue chain jobs run on, and the handler that runs them. */
export const CHAINS_QUEUE = "hourglass_chains";
export const CHAIN_JOB_HANDLER = "hourglass.chain-job";
/** How often a running job checks whether its request was stopped or suspended. */
const STATE_POLL_MS = 300;

/** Puts chain jobs on the internal queue (`runAfter` for a retry wait), on the caller's transaction. */
export async function dispatch(
  sql: Sql, now: Date, requestId: string, jobIds: string[], actor: string, runAfter: Date | null = null,
): Promise<void> {
  await queueInternal.enqueue(sql, CHAINS_QUEUE, "chain_job", jobIds.map((jobId) => ({
    carries: { requestId, jobId }, priority: CHAIN_QUEUE_JOB.priority, runAfter,
    attemptsAllowed: CHAIN_QUEUE_JOB.attempts, customStatus: requestId,
  })), now, actor);
}

/** Jobs of a RUNNING request that can run now: PENDING with every parent COMPLETE. */
export async function dispatchReady(sql: Sql, now: Date, requestId: string, actor: string): Promise<number> {
  const r = await sql.query<{ id: string }>(
    `SELECT id FROM chain_job WHERE request_id = $1 AND state = 'PENDING' AND waiting_deps = 0`, [requestId]);
  await dispatch(sql, now, requestId, r.rows.map((x) => x.id), actor);
  return r.rows.length;
}

/** A RUNNING request with a failed job fails once none of its jobs runs (call holding the request row). */
export async function failIfIdle(
  sql: Sql, now: Date, requestId: string, hooks: ChainHooks, actor: string,
): Promise<void> {
  const failed = await failIdleRequest(sql, requestId, now, actor);
  if (failed.moved) await tellEnded(hooks, sql, now, [{ requestId, invocationId: failed.invocationId, state: "FAIL" }]);
}

/** What a runner needs besides the context: the hooks to tell, and who its writes are recorded as. */
export interface ChainRunnerDeps {
  hooks: ChainHooks;
  /** The actor of its events: the worker ("worker:<name>"), or "system:chains". */
  actor: string;
}

/**
 * Runs chain jobs: the handler of the internal chains queue. A try is
 * recorded before it starts (a killed worker's try shows as lost and runs
 * again), and its end is applied in one transaction that holds the request
 * row, so completions of one request never interleave: state, job log,
 * progress, the children that became ready, retries and the request's end.
 */
export class ChainRunner {
  private readonly hooks: ChainHooks;
  private readonly actor: string;
  /** First tries of the jobs claimed at once begin in one statement (one commit for many under load). */
  private readonly begins: Batcher<{ requestId: string; jobId: string }, BegunJob | null>;

  constructor(private readonly ctx: EngineContext, private readonly options: ExecuteOptions, deps: ChainRunnerDeps) {
    this.hooks = deps.hooks;
    this.actor = deps.actor;
    this.begins = new Batcher((jobs) => beginJobs(ctx.db.sql, jobs, ctx.clock.now(), this.actor));
  }

  async run(input: ExecutionInput, signal: AbortSignal): Promise<ExecutionResult> {
    const { ctx } = this;
    const carried = decodeCarrier("chain_job", input.body);
    if (!carried) return { succeeded: false, error: `not a chain job: ${JSON.stringify(input.body.slice(0, 200))}` };
    const { requestId, jobId } = carried;
    const begun = await this.begin(requestId, jobId, input.attempt > 1);
    if (!begun) return { succeeded: true }; // stopped, suspended, finished or taken meanwhile
    const { job, logId, inputData } = begun;

    const ended = new AbortController();
    let endedBy: string | null = null;
    const poll = setInterval(() => {
      void ctx.db.sql.query<{ state: string }>(`SELECT state::text AS state FROM request WHERE id = $1`, [requestId])
        .then((r) => {
          const state = r.rows[0]?.state;
          if (state === "STOPPED" || state === "SUSPENDED") {
            endedBy = state === "STOPPED" ? "request stopped" : "request suspended";
            ended.abort();
          }
        })
        .catch(() => {});
    }, STATE_POLL_MS);
    let result: ExecutionResult;
    try {
      result = await execute(executorFor(job, inputData.args), {
        ...input, jobDescriptor: `request:${requestId}/${jobId}`, attempt: job.total_tries,
        body: JSON.stringify({
          request: requestId, job: jobId, name: job.name, try: job.total_tries,
          args: inputData.args, data: inputData.data,
        }),
      }, AbortSignal.any([signal, ended.signal]), this.options);
    } finally {
      clearInterval(poll);
    }
    if (signal.aborted && !ended.signal.aborted) {
      const why = "worker shutting down; the request is suspended and another worker resumes it";
      await this.interrupted(job, logId, result, why, true);
      return { succeeded: true };
    }
    if (ended.signal.aborted) {
      await this.interrupted(job, logId, result, endedBy ?? "ended", false);
      return { succeeded: true };
    }
    await this.complete(job, logId, inputData.data, result);
    return { succeeded: true };
  }

  /**
   * The try begins (sql/beginJob.ts), returning the job and its input. On a
   * redelivery (`redelivered`: the queue job's earlier claim lapsed) a try
   * still RUNNING was lost and the job runs again (sql/relaunchJob.ts); a
   * duplicate delivery of a running job is a no-op.
   */
  private async begin(requestId: string, jobId: string, redelivered: boolean) {
    const t = { requestId, jobId };
    const begun = redelivered
      ? await relaunchJob(this.ctx.db.sql, t, this.ctx.clock.now(), this.actor)
      : await this.begins.add(t);
    if (!begun) return null;
    const { job, logId, parentData } = begun;
    const data = mergeData(parentData, {});
    const args = { ...job.args };
    for (const [expected, given] of Object.entries(job.runtime_args)) {
      if (data[given] !== undefined) args[expected] = data[given];
    }
    return { job, logId, inputData: { args, data } };
  }

  /** The try was cut short: by stop / suspend (the request says which), or by this worker shutting down (`suspend`). */
  private async interrupted(
    job: JobRow, logId: string, result: ExecutionResult, why: string, suspend: boolean,
  ): Promise<void> {
    const now = this.ctx.clock.now();
    await withTransaction(this.ctx.db.pool, async (sql) => {
      await writeLog(sql, logId, now, "STOPPED", result, why);
      await lockRequest(sql, job.request_id);
      // back to PENDING so a resume runs it again (a stop has already made it STOPPED)
      await interruptJob(sql, { requestId: job.request_id, jobId: job.id, try: job.total_tries }, now, this.actor, why);
      if (suspend) await suspendRequest(sql, job.request_id, now, "worker-shutdown", this.actor, why);
    }, { retryDeadlocks: true });
  }

  /**
   * Applies a try's end. A success is one statement (sql/completeJob.ts); the
   * rest — failures, the request's last job, a success that finds a failed
   * sibling — run as a transaction holding the request row.
   */
  private async complete(
    job: JobRow, logId: string, inputData: Record<string, unknown>, result: ExecutionResult,
  ): Promise<void> {
    const now = this.ctx.clock.now();
    const { hooks, actor } = this;
    if (!result.succeeded) {
      return withTransaction(this.ctx.db.pool, async (sql) => {
        await writeLog(sql, logId, now, "FAIL", result, result.error ?? null);
        const state = await lockRequest(sql, job.request_id);
        await this.failed(sql, now, job, result, state);
      }, { retryDeadlocks: true });
    }
    const sets = { ...parseSetLines(result.stdout), ...(result.sets ?? {}) };
    const own: Record<string, unknown> = {};
    for (const s of job.sets) if (sets[s.arg] !== undefined) own[s.as] = sets[s.arg];
    // parents cannot change while a child runs (a sequence retry resets the child too, and the try guard sees it)
    const t: SucceededTry = {
      requestId: job.request_id, jobId: job.id, try: job.total_tries, data: mergeData([inputData], own), logId,
      exitCode: result.exitCode ?? null, stdout: result.stdout ?? "", stderr: result.stderr ?? "", next: job.next,
    };
    if (job.role === "end" && job.root_sequence) {
      // the request's last job: the request completes (and a linked invocation ends) in the same transaction
      return withTransaction(this.ctx.db.pool, async (sql) => {
        if (!(await completeJob(sql, t, now, CHAINS_QUEUE, actor)).completed) return;
        const done = await completeRequest(sql, job.request_id, now, actor);
        if (done.moved) {
          const ended = { requestId: job.request_id, invocationId: done.invocationId, state: "COMPLETE" as const };
          await tellEnded(hooks, sql, now, [ended]);
        }
      }, { retryDeadlocks: true });
    }
    const r = await completeJob(this.ctx.db.sql, t, now, CHAINS_QUEUE, actor);
    if (r.completed && r.state === "RUNNING" && r.failedJobs > 0) {
      await withTransaction(this.ctx.db.pool, async (sql) => {
        await lockRequest(sql, job.request_id);
        await failIfIdle(sql, now, job.request_id, hooks, actor);
      }, { retryDeadlocks: true });
    }
  }

  /** A try failed (holding the request row, in `requestState`): retry the job, rerun its sequence, or fail it. */
  private async failed(sql: Sql, now: Date, job: JobRow, result: ExecutionResult, requestState: string | null) {
    const { hooks, actor } = this;
    const sequences = (await sql.query<SequenceTries & { parent_id: string | null }>(
      `WITH RECURSIVE up AS (
         SELECT id, parent_id, retry, tries, 0 AS depth FROM chain_sequence WHERE request_id = $1 AND id = $2
         UNION ALL
         SELECT s.id, s.parent_id, s.retry, s.tries, up.depth + 1
           FROM chain_sequence s JOIN up ON s.request_id = $1 AND s.id = up.parent_id)
       SELECT id, parent_id, retry, tries FROM up ORDER BY depth`, [job.request_id, job.sequence_id])).rows
      .map((s) => ({ id: s.id, parentId: s.parent_id, retry: s.retry, tries: s.tries }));
    const running = requestState === "RUNNING";
    const decision = running
      ? afterFailure({ tries: job.tries, retry: job.retry, retryWaitMillis: job.retry_wait_millis }, sequences)
      : { kind: "fail" as const };
    const t: EndedTry = {
      requestId: job.request_id, jobId: job.id, try: job.total_tries, exitCode: result.exitCode ?? null,
    };
    if (decision.kind === "retry-job") {
      const wait = decision.afterMillis;
      const why = `try ${t.try} failed; retry ${job.tries} of ${job.retry}${wait > 0 ? ` in ${wait} ms` : ""}`;
      if (await tryFailed(sql, t, now, wait, actor, why)) {
        await dispatch(sql, now, job.request_id, [job.id], actor, wait > 0 ? new Date(now.getTime() + wait) : null);
      }
      return;
    }
    if (decision.kind === "retry-sequence") {
      const start = await retrySequence(sql, job.request_id, decision.sequenceId, now, actor);
      if (start) await dispatch(sql, now, job.request_id, [start], actor);
      return;
    }
    const why = running
      ? `try ${t.try} failed with no retries left`
      : `try ${t.try} failed; its request is ${requestState}`;
    await failJob(sql, t, now, actor, why);
    await failIfIdle(sql, now, job.request_id, hooks, actor);
  }
}

/** Ends a try's job-log row (its output: state, exit code, error, stdout, stderr). */
async function writeLog(
  sql: Sql, logId: string, now: Date, state: string, result: ExecutionResult, error: string | null,
): Promise<void> {
  await sql.query(
    `UPDATE chain_job_log SET state = $2, finished_at = $3, exit_code = $4, error = $5, stdout = $6, stderr = $7
      WHERE id = $1`,
    [logId, state, now, result.exitCode ?? null, error, result.stdout ?? "", result.stderr ?? ""]);
}

/**
 * What a job type runs: noop; shell runs the `command` arg with `sh -c` (args
 * in the environment as ARG_<NAME>); http sends the args as JSON to the `url`
 * arg (`method` arg, default POST); any other type is a worker handler.
 */
function executorFor(job: JobRow, args: Record<string, unknown>): ExecutorConfig {
  const base = { retryDelayMillis: 0 };
  switch (job.type) {
    case "noop":
      return { kind: "noop", ...base };
    case "shell": {
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(args)) {
        const name = `ARG_${k.toUpperCase().replace(/[^A-Z0-9_]/g, "_")}`;
        env[name] = typeof v === "string" ? v : JSON.stringify(v);
      }
      const command = String(args.command ?? "echo 'shell job without a command arg' >&2; exit 2");
      return { kind: "shell", command: "sh", args: ["-c", command], env, timeoutMillis: 3600_000, ...base };
    }
    case "http":
      return {
        kind: "http", url: String(args.url ?? "http://invalid.invalid/"),
        method: (String(args.method ?? "POST").toUpperCase()) as "POST",
        headers: { "content-type": "application/json" }, body: JSON.stringify(args), timeoutMillis: 60_000, ...base,
      };
    default:
      return { kind: "handler", name: job.type, ...base };
  }
}
