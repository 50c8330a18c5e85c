import type { Sql } from "@hourglass/db";
import type { EngineContext } from "../../context.ts";
import { withTransaction } from "../../transaction.ts";
import { execute, executorConfigSchema, type ExecuteOptions } from "../../executors/index.ts";
import type { ExecutionInput, ExecutionResult } from "../../executors/types.ts";
import type { JobDefinition } from "../catalog.ts";
import { invocationFinished } from "../cron-machine.ts";
import { appendDebugLog, DEBUG_LOG_LIMIT, logLine } from "./debug-log.ts";

/** How often a lost launch (the worker died mid-run) is retried before the invocation fails. */
export const LAUNCH_RETRY_LIMIT = 3;
/** How often a running invocation checks whether it was aborted. */
const ABORT_POLL_MS = 500;

/**
 * Runs one invocation: the handler of the internal invocations queue. The
 * invocation row is the record (its state, log and outcome); the queue job
 * only carries it, so it succeeds whatever the task did. Every transition is
 * guarded by the expected state, so an abort that lands meanwhile wins.
 */
export async function runInvocation(ctx: EngineContext, input: ExecutionInput, signal: AbortSignal, options: ExecuteOptions): Promise<ExecutionResult> {
  const id = input.body;
  const sql = ctx.db.sql;
  const now = () => ctx.clock.now();
  type Started = { job_key: string; task: unknown; incoming_triggers: unknown };
  // the common case in one statement: STARTING / RETRYING -> RUNNING
  let started = (await sql.query<Started>(
    `UPDATE scheduler_invocation SET state = 'RUNNING', debug_log = right(debug_log || $2, ${DEBUG_LOG_LIMIT})
      WHERE id = $1 AND state IN ('STARTING', 'RETRYING') RETURNING job_key, task, incoming_triggers`,
    [id, logLine(now(), "launching the task")])).rows[0];
  if (!started) {
    const inv = (await sql.query<{ state: string; job_key: string; retry_count: number }>(
      `SELECT state::text AS state, job_key, retry_count FROM scheduler_invocation WHERE id = $1`, [id])).rows[0];
    if (!inv || inv.state !== "RUNNING") return { succeeded: true }; // finished or aborted meanwhile
    // RUNNING already: a previous launch was lost (its worker died); retry, up to the limit
    if (inv.retry_count + 1 > LAUNCH_RETRY_LIMIT) {
      await finish(ctx, id, inv.job_key, "FAILED", "RUNNING", undefined, logLine(now(), `launch lost ${inv.retry_count + 1} times; giving up`));
      return { succeeded: true };
    }
    started = (await sql.query<Started>(
      `UPDATE scheduler_invocation SET retry_count = retry_count + 1, debug_log = right(debug_log || $3, ${DEBUG_LOG_LIMIT})
        WHERE id = $1 AND state = 'RUNNING' AND retry_count = $2 RETURNING job_key, task, incoming_triggers`,
      [id, inv.retry_count, logLine(now(), `previous launch was lost (worker stopped?); retry ${inv.retry_count + 1} of ${LAUNCH_RETRY_LIMIT}`)])).rows[0];
    if (!started) return { succeeded: true }; // someone else relaunched it
  }
  const task = executorConfigSchema.parse(started.task);

  const aborted = new AbortController();
  const poll = setInterval(() => {
    void sql.query<{ state: string }>(`SELECT state::text AS state FROM scheduler_invocation WHERE id = $1`, [id])
      .then((r) => r.rows[0]?.state === "ABORTED" && aborted.abort())
      .catch(() => {});
  }, ABORT_POLL_MS);
  let result: ExecutionResult;
  try {
    const body = JSON.stringify({ invocation: id, job: started.job_key, triggers: started.incoming_triggers });
    result = await execute(task, { ...input, jobDescriptor: `invocation:${id}`, body }, AbortSignal.any([signal, aborted.signal]), options);
  } finally {
    clearInterval(poll);
  }
  if (signal.aborted && !aborted.signal.aborted) {
    // the worker is shutting down: leave it RUNNING; the queue job is released and the next launch retries
    await appendDebugLog(sql, id, now(), "worker shutting down; the invocation will be relaunched");
    throw new Error("interrupted by worker shutdown");
  }
  const lines = [`ran ${task.kind} task`];
  if (result.exitCode !== undefined && result.exitCode !== null) lines.push(`exit code ${result.exitCode}`);
  if (result.httpStatus) lines.push(`HTTP ${result.httpStatus}`);
  if (result.stdout) lines.push(`stdout:\n${result.stdout.trimEnd()}`);
  if (result.stderr) lines.push(`stderr:\n${result.stderr.trimEnd()}`);
  if (result.error) lines.push(`error: ${result.error}`);
  lines.push(result.succeeded ? "task succeeded" : "task failed");
  const at = now();
  await finish(ctx, id, started.job_key, result.succeeded ? "SUCCEEDED" : "FAILED", "RUNNING", undefined, lines.map((l) => logLine(at, l)).join(""));
  return { succeeded: true };
}

/**
 * Moves an invocation to a final state (guarded by `from`), then: a success
 * triggers the jobs its job lists under `triggers`; the job is queued for
 * triage; an interval schedule re-arms from now. All in one transaction, so
 * nobody sees a finished invocation without its outgoing triggers. Returns
 * false when the invocation was no longer in `from` (e.g. aborted meanwhile).
 */
export function finish(
  ctx: EngineContext, id: string, jobKey: string, to: "SUCCEEDED" | "FAILED" | "ABORTED", from: string | string[], by?: string, log = "",
): Promise<boolean> {
  return withTransaction(ctx.db.pool, (sql) => finishIn(sql, ctx.clock.now(), id, jobKey, to, from, by, log));
}

async function finishIn(sql: Sql, now: Date, id: string, jobKey: string, to: "SUCCEEDED" | "FAILED" | "ABORTED", from: string | string[], by: string | undefined, log: string): Promise<boolean> {
  const r = await sql.query(
    `UPDATE scheduler_invocation SET state = $2, finished_at = $3, aborted_by = $5, debug_log = right(debug_log || $6, ${DEBUG_LOG_LIMIT})
      WHERE id = $1 AND state::text = ANY($4::text[])`,
    [id, to, now, Array.isArray(from) ? from : [from], by ?? null, log + logLine(now, `invocation ${to}${by ? ` by ${by}` : ""}`)],
  );
  if (r.rowCount === 0) return false;
  const job = (await sql.query<{ definition: JobDefinition }>(
    `UPDATE scheduler_job SET triage_requested_at = $2 WHERE key = $1 RETURNING definition`, [jobKey, now])).rows[0];
  if (!job) return true;
  const project = jobKey.split("/")[0]!;
  if (to === "SUCCEEDED" && job.definition.triggers.length > 0) {
    const targets = job.definition.triggers.map((t) => `${project}/${t}`);
    const triggerId = `invocation:${id}`;
    await sql.query(
      `INSERT INTO scheduler_trigger (job_key, trigger_id, title, created_at, emitted_by, properties)
       SELECT k, $2, $3, $4, $5, jsonb_build_object('invocation', $6::text)
         FROM unnest($1::text[]) AS k
        WHERE EXISTS (SELECT 1 FROM scheduler_job j WHERE j.key = k AND j.paused_at IS NULL AND j.removed_at IS NULL)
       ON CONFLICT (job_key, trigger_id) DO NOTHING`,
      [targets, triggerId, `triggered by ${jobKey} invocation ${id}`, now, jobKey, id],
    );
    await sql.query(`UPDATE scheduler_job SET triage_requested_at = $2 WHERE key = ANY($1::text[])`, [targets, now]);
    await sql.query(`UPDATE scheduler_invocation SET outgoing_triggers = $2 WHERE id = $1`, [
      id, JSON.stringify(targets.map((job) => ({ id: triggerId, job }))),
    ]);
  }
  const cron = invocationFinished({ nextTickAt: null, lastSlotAt: null }, job.definition.schedule, now.getTime());
  if (cron.nextTickAt !== null) {
    // an interval counts from this end; guarded so a pause or a newer arm is not overwritten
    await sql.query(
      `UPDATE scheduler_job SET next_tick_at = $2 WHERE key = $1 AND next_tick_at IS NULL AND paused_at IS NULL AND removed_at IS NULL`,
      [jobKey, new Date(cron.nextTickAt)],
    );
  }
  return true;
}
