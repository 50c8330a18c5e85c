import type { Sql } from "@hourglass/db";
import type { EngineContext } from "../../context.ts";
import { withTransaction } from "../../transaction.ts";
import { execute, executorConfigSchema, type ExecuteOptions } from "../../executors/index.ts";
import type { ExecutionInput, ExecutionResult } from "../../executors/types.ts";
import type { JobDefinition } from "../catalog.ts";
import { invocationFinished } from "../cron-machine.ts";
import { appendDebugLog } from "./debug-log.ts";

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
  const rows = await sql.query<{ state: string; job_key: string; task: unknown; retry_count: number; incoming_triggers: unknown }>(
    `SELECT state::text AS state, job_key, task, retry_count, incoming_triggers FROM scheduler_invocation WHERE id = $1`, [id]);
  const inv = rows.rows[0];
  if (!inv || ["SUCCEEDED", "FAILED", "ABORTED"].includes(inv.state)) return { succeeded: true };
  const now = () => ctx.clock.now();

  if (inv.state === "RUNNING") {
    // a previous launch was lost (its worker died): retry, up to the limit
    if (inv.retry_count + 1 > LAUNCH_RETRY_LIMIT) {
      await appendDebugLog(sql, id, now(), `launch lost ${inv.retry_count + 1} times; giving up`);
      await finish(ctx, id, inv.job_key, "FAILED", "RUNNING");
      return { succeeded: true };
    }
    await sql.query(`UPDATE scheduler_invocation SET state = 'RETRYING', retry_count = retry_count + 1 WHERE id = $1 AND state = 'RUNNING'`, [id]);
    await appendDebugLog(sql, id, now(), `previous launch was lost (worker stopped?); retry ${inv.retry_count + 1} of ${LAUNCH_RETRY_LIMIT}`);
  }
  const started = await sql.query(
    `UPDATE scheduler_invocation SET state = 'RUNNING' WHERE id = $1 AND state IN ('STARTING', 'RETRYING')`, [id]);
  if (started.rowCount === 0) return { succeeded: true }; // aborted meanwhile
  const task = executorConfigSchema.parse(inv.task);
  await appendDebugLog(sql, id, now(), `running ${task.kind} task on ${input.attempt > 1 ? `attempt ${input.attempt}` : "its first attempt"}`);

  const aborted = new AbortController();
  const poll = setInterval(() => {
    void sql.query<{ state: string }>(`SELECT state::text AS state FROM scheduler_invocation WHERE id = $1`, [id])
      .then((r) => r.rows[0]?.state === "ABORTED" && aborted.abort())
      .catch(() => {});
  }, ABORT_POLL_MS);
  let result: ExecutionResult;
  try {
    const body = JSON.stringify({ invocation: id, job: inv.job_key, triggers: inv.incoming_triggers });
    result = await execute(task, { ...input, jobDescriptor: `invocation:${id}`, body }, AbortSignal.any([signal, aborted.signal]), options);
  } finally {
    clearInterval(poll);
  }
  if (signal.aborted && !aborted.signal.aborted) {
    // the worker is shutting down: leave it RUNNING; the queue job is released and the next launch retries
    await appendDebugLog(sql, id, now(), "worker shutting down; the invocation will be relaunched");
    throw new Error("interrupted by worker shutdown");
  }
  const lines: string[] = [];
  if (result.exitCode !== undefined && result.exitCode !== null) lines.push(`exit code ${result.exitCode}`);
  if (result.httpStatus) lines.push(`HTTP ${result.httpStatus}`);
  if (result.stdout) lines.push(`stdout:\n${result.stdout.trimEnd()}`);
  if (result.stderr) lines.push(`stderr:\n${result.stderr.trimEnd()}`);
  if (result.error) lines.push(`error: ${result.error}`);
  lines.push(result.succeeded ? "task succeeded" : "task failed");
  await appendDebugLog(sql, id, now(), ...lines);
  await finish(ctx, id, inv.job_key, result.succeeded ? "SUCCEEDED" : "FAILED", "RUNNING");
  return { succeeded: true };
}

/**
 * Moves an invocation to a final state (guarded by `from`), then: a success
 * triggers the jobs its job lists under `triggers`; the job is queued for
 * triage; an interval schedule re-arms from now. All in one transaction, so
 * nobody sees a finished invocation without its outgoing triggers. Returns
 * false when the invocation was no longer in `from` (e.g. aborted meanwhile).
 */
export function finish(ctx: EngineContext, id: string, jobKey: string, to: "SUCCEEDED" | "FAILED" | "ABORTED", from: string | string[], by?: string): Promise<boolean> {
  return withTransaction(ctx.db.pool, (sql) => finishIn(sql, ctx.clock.now(), id, jobKey, to, from, by));
}

async function finishIn(sql: Sql, now: Date, id: string, jobKey: string, to: "SUCCEEDED" | "FAILED" | "ABORTED", from: string | string[], by?: string): Promise<boolean> {
  const r = await sql.query(
    `UPDATE scheduler_invocation SET state = $2, finished_at = $3, aborted_by = $5 WHERE id = $1 AND state::text = ANY($4::text[])`,
    [id, to, now, Array.isArray(from) ? from : [from], by ?? null],
  );
  if (r.rowCount === 0) return false;
  const job = (await sql.query<{ definition: JobDefinition }>(`SELECT definition FROM scheduler_job WHERE key = $1`, [jobKey])).rows[0];
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
  await sql.query(`UPDATE scheduler_job SET triage_requested_at = $2 WHERE key = $1`, [jobKey, now]);
  const cron = invocationFinished({ nextTickAt: null, lastSlotAt: null }, job.definition.schedule, now.getTime());
  if (cron.nextTickAt !== null) {
    // an interval counts from this end; guarded so a pause or a newer arm is not overwritten
    await sql.query(
      `UPDATE scheduler_job SET next_tick_at = $2 WHERE key = $1 AND next_tick_at IS NULL AND paused_at IS NULL AND removed_at IS NULL`,
      [jobKey, new Date(cron.nextTickAt)],
    );
  }
  await appendDebugLog(sql, id, now, `invocation ${to}${by ? ` by ${by}` : ""}`);
  return true;
}
