import type { Sql } from "@hourglass/db";
import type { EngineContext } from "../../context.ts";
import { execute, type ExecuteOptions, type ExecutorConfig } from "../../executors/index.ts";
import type { ExecutionInput, ExecutionResult } from "../../executors/types.ts";
import { enqueueJobs } from "../../queue/sql/enqueueJobs.ts";
import { withTransaction } from "../../transaction.ts";
import { BEGIN_JOB_SQL } from "../sql/beginJob.ts";
import { CHAIN_QUEUE_JOB, COMPLETE_JOB_SQL } from "../sql/completeJob.ts";
import { endLinkedInvocations } from "./invocation-link.ts";
import { afterFailure, mergeData, parseSetLines, type SequenceTries } from "../runner.ts";

/** The internal queue chain jobs run on, and the handler that runs them. */
export const CHAINS_QUEUE = "hourglass_chains";
export const CHAIN_JOB_HANDLER = "hourglass.chain-job";
/** How often a running job checks whether its request was stopped or suspended. */
const STATE_POLL_MS = 300;

interface JobRow {
  request_id: string;
  id: string;
  name: string;
  type: string;
  role: string;
  sequence_id: string;
  deps: string[];
  next: string[];
  args: Record<string, unknown>;
  runtime_args: Record<string, string>;
  sets: { arg: string; as: string }[];
  retry: number;
  retry_wait_millis: number;
  tries: number;
  total_tries: number;
  /** Whether the job's sequence is the request's own (its end job ends the request). */
  root_sequence: boolean;
}

/** Puts chain jobs on the internal queue (`runAfter` for a retry wait). */
export async function dispatch(sql: Sql, now: Date, requestId: string, jobIds: string[], runAfter: Date | null = null): Promise<void> {
  if (jobIds.length === 0) return;
  await enqueueJobs(sql, CHAINS_QUEUE, jobIds.map((id) => ({
    body: `${requestId}/${id}`, priority: CHAIN_QUEUE_JOB.priority, runAfter, attemptsAllowed: CHAIN_QUEUE_JOB.attempts, customStatus: requestId,
  })), now, "chains");
}

/** Jobs of a RUNNING request that can run now: PENDING with every parent COMPLETE. */
export async function dispatchReady(sql: Sql, now: Date, requestId: string): Promise<number> {
  const r = await sql.query<{ id: string }>(`SELECT id FROM chain_job WHERE request_id = $1 AND state = 'PENDING' AND waiting_deps = 0`, [requestId]);
  await dispatch(sql, now, requestId, r.rows.map((x) => x.id));
  return r.rows.length;
}

/**
 * Runs chain jobs: the handler of the internal chains queue. A try is
 * recorded before it starts (a killed worker's try shows as lost and runs
 * again), and its end is applied in one transaction that holds the request
 * row, so completions of one request never interleave: state, job log,
 * progress, the children that became ready, retries and the request's end.
 */
export class ChainRunner {
  constructor(private readonly ctx: EngineContext, private readonly options: ExecuteOptions) {}

  async run(input: ExecutionInput, signal: AbortSignal): Promise<ExecutionResult> {
    const { ctx } = this;
    const [requestId, jobId] = input.body.split("/") as [string, string];
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
        body: JSON.stringify({ request: requestId, job: jobId, name: job.name, try: job.total_tries, args: inputData.args, data: inputData.data }),
      }, AbortSignal.any([signal, ended.signal]), this.options);
    } finally {
      clearInterval(poll);
    }
    if (signal.aborted && !ended.signal.aborted) {
      await this.interrupted(job, logId, result, "worker shutting down; the request is suspended and another worker resumes it", true);
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
   * PENDING -> RUNNING (the request must be RUNNING), with a RUNNING log row,
   * in one statement that also returns the data the job's parents passed on.
   * On a redelivery (`redelivered`: the queue job's earlier claim lapsed, so
   * its worker died) a try still RUNNING was lost: it is logged as such and
   * the job runs again. A duplicate delivery of a running job is a no-op.
   */
  private async begin(requestId: string, jobId: string, redelivered: boolean) {
    const now = this.ctx.clock.now();
    type Begun = JobRow & { log_id: string; parent_data: Record<string, unknown>[] };
    const row = !redelivered
      ? (await this.ctx.db.sql.query<Begun>(BEGIN_JOB_SQL, [requestId, jobId, now, false], "hg_chain_begin")).rows[0]
      : await withTransaction(this.ctx.db.pool, async (sql) => {
        const lost = (await sql.query(
          `UPDATE chain_job_log SET state = 'FAIL', finished_at = $3, error = 'try lost: its worker stopped without finishing it'
            WHERE request_id = $1 AND job_id = $2 AND state = 'RUNNING'`, [requestId, jobId, now])).rowCount ?? 0;
        return (await sql.query<Begun>(BEGIN_JOB_SQL, [requestId, jobId, now, lost > 0])).rows[0];
      });
    if (!row) return null;
    const { log_id: logId, parent_data: parents, ...job } = row;
    const data = mergeData(parents, {});
    const args = { ...job.args };
    for (const [expected, given] of Object.entries(job.runtime_args)) if (data[given] !== undefined) args[expected] = data[given];
    return { job, logId, inputData: { args, data } };
  }

  /** The try was cut short: by stop / suspend (the request says which), or by this worker shutting down (`suspend`). */
  private async interrupted(job: JobRow, logId: string, result: ExecutionResult, why: string, suspend: boolean): Promise<void> {
    const now = this.ctx.clock.now();
    await withTransaction(this.ctx.db.pool, async (sql) => {
      await writeLog(sql, logId, now, "STOPPED", result, why);
      await sql.query(`SELECT 1 FROM request WHERE id = $1 FOR UPDATE`, [job.request_id]);
      // back to PENDING so a resume runs it again (a stop has already marked it STOPPED)
      await sql.query(`UPDATE chain_job SET state = 'PENDING', tries = tries - 1, finished_at = $4 WHERE request_id = $1 AND id = $2 AND state = 'RUNNING' AND total_tries = $3`,
        [job.request_id, job.id, job.total_tries, now]);
      if (suspend) {
        await sql.query(`UPDATE request SET state = 'SUSPENDED', suspended_at = $2, suspend_reason = 'worker-shutdown' WHERE id = $1 AND state = 'RUNNING'`, [job.request_id, now]);
      }
    }, { retryDeadlocks: true });
  }

  /**
   * Applies a try's end. A success is one statement (COMPLETE_JOB_SQL); the
   * rest — failures, the request's last job, a success that finds a failed
   * sibling — run as a transaction holding the request row.
   */
  private async complete(job: JobRow, logId: string, inputData: Record<string, unknown>, result: ExecutionResult): Promise<void> {
    const now = this.ctx.clock.now();
    if (!result.succeeded) {
      return withTransaction(this.ctx.db.pool, async (sql) => {
        await writeLog(sql, logId, now, "FAIL", result, result.error ?? null);
        const request = (await sql.query<{ state: string }>(`SELECT state::text AS state FROM request WHERE id = $1 FOR UPDATE`, [job.request_id])).rows[0];
        await this.failed(sql, now, job, request?.state === "RUNNING");
      }, { retryDeadlocks: true });
    }
    const sets = { ...parseSetLines(result.stdout), ...(result.sets ?? {}) };
    const own: Record<string, unknown> = {};
    for (const s of job.sets) if (sets[s.arg] !== undefined) own[s.as] = sets[s.arg];
    // parents cannot change while a child runs (a sequence retry resets the child too, and the try guard sees it)
    const values = [job.request_id, job.id, job.total_tries, now, JSON.stringify(mergeData([inputData], own)), logId,
      result.exitCode ?? null, result.stdout ?? "", result.stderr ?? "", job.next, CHAINS_QUEUE];
    type Completed = { state: string; failed_jobs: number; completed: boolean };
    if (job.role === "end" && job.root_sequence) {
      // the request's last job: the request completes (and a linked invocation ends) in the same transaction
      return withTransaction(this.ctx.db.pool, async (sql) => {
        const r = (await sql.query<Completed>(COMPLETE_JOB_SQL, values)).rows[0]!;
        if (!r.completed) return;
        await sql.query(`UPDATE request SET state = 'COMPLETE', finished_at = $2 WHERE id = $1 AND state = 'RUNNING'`, [job.request_id, now]);
        await endLinkedInvocations(sql, now, [job.request_id]);
      }, { retryDeadlocks: true });
    }
    const r = (await this.ctx.db.sql.query<Completed>(COMPLETE_JOB_SQL, values, "hg_chain_complete")).rows[0]!;
    if (r.completed && r.state === "RUNNING" && r.failed_jobs > 0) {
      await withTransaction(this.ctx.db.pool, async (sql) => {
        await sql.query(`SELECT 1 FROM request WHERE id = $1 FOR UPDATE`, [job.request_id]);
        await failIfIdle(sql, now, job.request_id);
      }, { retryDeadlocks: true });
    }
  }

  private async failed(sql: Sql, now: Date, job: JobRow, running: boolean): Promise<void> {
    const sequences = (await sql.query<SequenceTries & { parent_id: string | null }>(
      `WITH RECURSIVE up AS (
         SELECT id, parent_id, retry, tries, 0 AS depth FROM chain_sequence WHERE request_id = $1 AND id = $2
         UNION ALL
         SELECT s.id, s.parent_id, s.retry, s.tries, up.depth + 1 FROM chain_sequence s JOIN up ON s.request_id = $1 AND s.id = up.parent_id)
       SELECT id, parent_id, retry, tries FROM up ORDER BY depth`, [job.request_id, job.sequence_id])).rows
      .map((s) => ({ id: s.id, parentId: s.parent_id, retry: s.retry, tries: s.tries }));
    const decision = running ? afterFailure({ tries: job.tries, retry: job.retry, retryWaitMillis: job.retry_wait_millis }, sequences) : { kind: "fail" as const };
    if (decision.kind === "retry-job") {
      const r = await sql.query(`UPDATE chain_job SET state = 'PENDING', finished_at = $4 WHERE request_id = $1 AND id = $2 AND state = 'RUNNING' AND total_tries = $3`,
        [job.request_id, job.id, job.total_tries, now]);
      if (r.rowCount) await dispatch(sql, now, job.request_id, [job.id], decision.afterMillis > 0 ? new Date(now.getTime() + decision.afterMillis) : null);
      return;
    }
    if (decision.kind === "retry-sequence") {
      await retrySequence(sql, now, job.request_id, decision.sequenceId);
      return;
    }
    const failed = await sql.query(`UPDATE chain_job SET state = 'FAIL', finished_at = $4 WHERE request_id = $1 AND id = $2 AND state = 'RUNNING' AND total_tries = $3`,
      [job.request_id, job.id, job.total_tries, now]);
    if (failed.rowCount) await sql.query(`UPDATE request SET failed_jobs = failed_jobs + 1 WHERE id = $1`, [job.request_id]);
    await failIfIdle(sql, now, job.request_id);
  }

}

/** A RUNNING request with a failed job fails once none of its jobs runs any more (call holding the request row). */
export async function failIfIdle(sql: Sql, now: Date, requestId: string): Promise<void> {
  const failed = await sql.query(
    `UPDATE request SET state = 'FAIL', finished_at = $2 WHERE id = $1 AND state = 'RUNNING'
        AND NOT EXISTS (SELECT 1 FROM chain_job WHERE request_id = $1 AND state = 'RUNNING')`, [requestId, now]);
  if (failed.rowCount) await endLinkedInvocations(sql, now, [requestId]);
}

/**
 * Reruns a sequence whole: its jobs and those of the sequences inside it go
 * back to PENDING (their tries start over; the job log keeps every try), its
 * tries count up, progress drops by the jobs that had completed, and its
 * start job is dispatched. A job of it still running is ignored when it ends.
 */
async function retrySequence(sql: Sql, now: Date, requestId: string, sequenceId: string): Promise<void> {
  const inside = (await sql.query<{ id: string }>(
    `WITH RECURSIVE down AS (
       SELECT id FROM chain_sequence WHERE request_id = $1 AND id = $2
       UNION ALL
       SELECT s.id FROM chain_sequence s JOIN down ON s.request_id = $1 AND s.parent_id = down.id)
     SELECT id FROM down`, [requestId, sequenceId])).rows.map((r) => r.id);
  const reset = await sql.query<{ was: string }>(
    `UPDATE chain_job j SET state = 'PENDING', tries = 0, data = '{}', finished_at = NULL
       FROM (SELECT id, state FROM chain_job WHERE request_id = $1 AND sequence_id = ANY($2::text[]) FOR UPDATE) old
      WHERE j.request_id = $1 AND j.id = old.id RETURNING old.state::text AS was`, [requestId, inside]);
  await sql.query(
    `UPDATE chain_job c SET waiting_deps = (SELECT count(*) FROM chain_job p WHERE p.request_id = $1 AND p.id = ANY(c.deps) AND p.state <> 'COMPLETE')
      WHERE c.request_id = $1 AND c.sequence_id = ANY($2::text[])`, [requestId, inside]);
  const completed = reset.rows.filter((r) => r.was === "COMPLETE").length;
  await sql.query(`UPDATE request SET finished_jobs = finished_jobs - $2 WHERE id = $1`, [requestId, completed]);
  await sql.query(`UPDATE chain_sequence SET tries = CASE WHEN id = $2 THEN tries + 1 ELSE 1 END WHERE request_id = $1 AND id = ANY($3::text[])`, [requestId, sequenceId, inside]);
  const start = (await sql.query<{ start_job: string }>(`SELECT start_job FROM chain_sequence WHERE request_id = $1 AND id = $2`, [requestId, sequenceId])).rows[0]!;
  await dispatch(sql, now, requestId, [start.start_job]);
}

async function writeLog(sql: Sql, logId: string, now: Date, state: string, result: ExecutionResult, error: string | null): Promise<void> {
  await sql.query(
    `UPDATE chain_job_log SET state = $2, finished_at = $3, exit_code = $4, error = $5, stdout = $6, stderr = $7 WHERE id = $1`,
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
      return { kind: "shell", command: "sh", args: ["-c", String(args.command ?? "echo 'shell job without a command arg' >&2; exit 2")], env, timeoutMillis: 3600_000, ...base };
    }
    case "http":
      return {
        kind: "http", url: String(args.url ?? "http://invalid.invalid/"), method: (String(args.method ?? "POST").toUpperCase()) as "POST",
        headers: { "content-type": "application/json" }, body: JSON.stringify(args), timeoutMillis: 60_000, ...base,
      };
    default:
      return { kind: "handler", name: job.type, ...base };
  }
}
