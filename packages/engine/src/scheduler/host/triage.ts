import type { Sql } from "@hourglass/db";
import type { EngineContext } from "../../context.ts";
import { enqueueJobs } from "../../queue/sql/enqueueJobs.ts";
import { withTransaction } from "../../transaction.ts";
import type { JobDefinition } from "../catalog.ts";
import { ACTIVE_INVOCATION_STATES } from "../job-state.ts";
import { applyPolicy } from "../policies.ts";
import { logLine } from "./debug-log.ts";

/** The internal queue invocations run on, and the handler that runs them. */
export const INVOCATIONS_QUEUE = "hourglass_invocations";
export const INVOCATION_HANDLER = "hourglass.invocation";
export const TRIAGE_BATCH = 50;
/** A triage log keeps at most this many lines. */
export const TRIAGE_LOG_LINES = 200;

interface PendingRow {
  id: string;
  trigger_id: string;
  title: string;
  url: string | null;
  created_at: Date;
  emitted_by: string;
  properties: unknown;
  tags: string[];
}

/**
 * One pass of the triage: for each job whose state changed (new triggers, an
 * invocation finished, a tick, a pause), decide in one transaction which
 * pending triggers start invocations and which are discarded, enqueue the
 * launches, and store the triage log. The job row stays locked while this
 * happens, so two triages of one job never interleave.
 */
export async function runTriageOnce(ctx: EngineContext): Promise<number> {
  return withTransaction(ctx.db.pool, async (sql) => {
    const jobs = await sql.query<{ key: string; definition: JobDefinition; revision: string; paused_at: Date | null; removed_at: Date | null; triage_requested_at: Date }>(
      `SELECT key, definition, revision, paused_at, removed_at, triage_requested_at FROM scheduler_job
        WHERE triage_requested_at IS NOT NULL ORDER BY triage_requested_at LIMIT ${TRIAGE_BATCH} FOR UPDATE SKIP LOCKED`,
    );
    for (const job of jobs.rows) await triageJob(ctx, sql, job);
    return jobs.rows.length;
  });
}

async function triageJob(
  ctx: EngineContext,
  sql: Sql,
  job: { key: string; definition: JobDefinition; revision: string; paused_at: Date | null; removed_at: Date | null; triage_requested_at: Date },
): Promise<void> {
  const log: string[] = [];
  // elapsed real time within this triage (monotonic; the injected clock says *when*, not how long)
  const t0 = performance.now();
  const say = (message: string) => log.push(`[${String(Math.round(performance.now() - t0)).padStart(3, "0")} ms] ${message}`);
  const now = ctx.clock.now();
  const def = job.definition;
  const pending = (await sql.query<PendingRow>(
    `SELECT id::text AS id, trigger_id, title, url, created_at, emitted_by, properties, tags FROM scheduler_trigger
      WHERE job_key = $1 AND invocation_id IS NULL AND discarded_at IS NULL ORDER BY created_at, id`,
    [job.key],
  )).rows;
  const active = (await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM scheduler_invocation WHERE job_key = $1 AND state = ANY($2::"InvocationState"[])`,
    [job.key, ACTIVE_INVOCATION_STATES],
  )).rows[0]!.n;
  say(`${pending.length} pending trigger(s), ${active} active invocation(s)`);
  let discard: PendingRow[] = [];
  let requests: PendingRow[][] = [];
  if (job.removed_at || def.disabled || job.paused_at) {
    discard = pending;
    say(`job is ${job.paused_at ? "paused" : "disabled"}: no invocations start${pending.length ? `; discarding ${pending.length} trigger(s)` : ""}`);
  } else {
    if (def.schedule.kind === "continuously" && active === 0 && pending.length === 0) {
      const r = await sql.query<PendingRow>(
        `INSERT INTO scheduler_trigger (job_key, trigger_id, title, created_at, emitted_by) VALUES ($1, $2, 'continuous run', $3, 'scheduler')
         ON CONFLICT DO NOTHING RETURNING id::text AS id, trigger_id, title, url, created_at, emitted_by, properties, tags`,
        [job.key, `continuous:${job.key}:${now.getTime()}`, now],
      );
      pending.push(...r.rows);
      say("continuous job is idle: emitted a trigger");
    }
    const decision = applyPolicy(def.policy, { activeInvocations: active, pending: pending.map((p) => ({ ...p, createdAt: p.created_at.getTime() })), now: now.getTime() });
    requests = decision.requests;
    discard = decision.discard;
    say(`policy ${def.policy.kind}: ${requests.length} invocation(s) to start, ${discard.length} trigger(s) to discard`);
  }
  for (const batch of requests) {
    const incoming = batch.map((t) => ({ id: t.trigger_id, title: t.title, url: t.url, createdAt: t.created_at.getTime(), emittedBy: t.emitted_by, properties: t.properties, tags: t.tags }));
    const inv = await sql.query<{ id: string }>(
      `INSERT INTO scheduler_invocation (job_key, state, revision, task, triggered_by, incoming_triggers, properties, tags, started_at, debug_log)
       VALUES ($1, 'STARTING', $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id::text AS id`,
      [
        job.key, job.revision, JSON.stringify(def.task), batch[batch.length - 1]!.emitted_by, JSON.stringify(incoming),
        JSON.stringify(batch[batch.length - 1]!.properties ?? {}), [...new Set(batch.flatMap((t) => t.tags))], now,
        logLine(now, `invocation created by triage with ${batch.length} trigger(s); config revision ${job.revision}`),
      ],
    );
    const id = inv.rows[0]!.id;
    await sql.query(`UPDATE scheduler_trigger SET invocation_id = $1 WHERE id = ANY($2::bigint[])`, [id, batch.map((t) => t.id)]);
    await enqueueJobs(sql, INVOCATIONS_QUEUE, [{ body: id, priority: 1, runAfter: null, attemptsAllowed: 5, customStatus: job.key }], now, "scheduler");
    say(`started invocation ${id} with trigger(s) ${batch.map((t) => t.trigger_id).join(", ")}`);
  }
  if (discard.length > 0) {
    await sql.query(`UPDATE scheduler_trigger SET discarded_at = $2 WHERE id = ANY($1::bigint[])`, [discard.map((t) => t.id), now]);
  }
  say("done");
  // Clear the request only if nothing asked again meanwhile (a newer request keeps the job queued for triage).
  await sql.query(
    `UPDATE scheduler_job SET last_triage_at = $2, triage_log = $3,
            triage_requested_at = CASE WHEN triage_requested_at = $4 THEN NULL ELSE triage_requested_at END
      WHERE key = $1`,
    [job.key, now, log.slice(-TRIAGE_LOG_LINES).join("\n"), job.triage_requested_at],
  );
}
