import type { Sql } from "@hourglass/db";
import type { EngineContext } from "../../context.ts";
import { enqueueJobs } from "../../queue/sql/enqueueJobs.ts";
import { withTransaction } from "../../transaction.ts";
import type { JobDefinition } from "../catalog.ts";
import { ACTIVE_INVOCATION_STATES } from "../job-state.ts";
import { applyPolicy } from "../policies.ts";
import { logLine } from "./debug-log.ts";
import { lateTickLines } from "./tick-timers.ts";
import { TriageLog } from "./triage-log.ts";

/** The internal queue invocations run on, and the handler that runs them. */
export const INVOCATIONS_QUEUE = "hourglass_invocations";
export const INVOCATION_HANDLER = "hourglass.invocation";
/** Jobs triaged per pass (one transaction, a handful of set-based statements). */
export const TRIAGE_BATCH = 1000;

interface PendingRow {
  id: string;
  job_key: string;
  trigger_id: string;
  title: string;
  url: string | null;
  created_at: Date;
  emitted_by: string;
  properties: unknown;
  tags: string[];
}

interface JobRow {
  key: string;
  definition: JobDefinition;
  revision: string;
  paused_at: Date | null;
  removed_at: Date | null;
  triage_requested_at: Date;
}

/**
 * One pass of the triage over every job whose state changed (new triggers,
 * an invocation finished, a tick, a pause), up to TRIAGE_BATCH jobs: in one
 * transaction, with the job rows locked so two triages of a job never
 * interleave, it reads all their pending triggers and active invocations,
 * decides per job with the pure policy, then writes invocations, trigger
 * assignments, discards, queue launches and triage logs as batches.
 */
export async function runTriageOnce(ctx: EngineContext): Promise<number> {
  return withTransaction(ctx.db.pool, async (sql) => {
    const jobs = (await sql.query<JobRow>(
      `SELECT key, definition, revision, paused_at, removed_at, triage_requested_at FROM scheduler_job
        WHERE triage_requested_at IS NOT NULL ORDER BY triage_requested_at LIMIT ${TRIAGE_BATCH} FOR UPDATE SKIP LOCKED`,
    )).rows;
    if (jobs.length === 0) return 0;
    await triageJobs(ctx, sql, jobs);
    return jobs.length;
  });
}

async function triageJobs(ctx: EngineContext, sql: Sql, jobs: JobRow[]): Promise<void> {
  const t0 = performance.now(); // elapsed real time for the log (the injected clock says *when*, not how long)
  const now = ctx.clock.now();
  const keys = jobs.map((j) => j.key);
  const [pendingRows, activeRows] = await Promise.all([
    sql.query<PendingRow>(
      `SELECT id::text AS id, job_key, trigger_id, title, url, created_at, emitted_by, properties, tags FROM scheduler_trigger
        WHERE job_key = ANY($1::text[]) AND invocation_id IS NULL AND discarded_at IS NULL
        ORDER BY created_at, scheduler_trigger.id`, [keys]), // the column: a bare `id` is the text alias
    sql.query<{ job_key: string; n: number }>(
      `SELECT job_key, count(*)::int AS n FROM scheduler_invocation
        WHERE job_key = ANY($1::text[]) AND state = ANY($2::"InvocationState"[]) GROUP BY job_key`, [keys, ACTIVE_INVOCATION_STATES]),
  ]);
  const pendingBy = groupBy(pendingRows.rows, (r) => r.job_key);
  const activeBy = new Map(activeRows.rows.map((r) => [r.job_key, r.n]));

  // continuous jobs that are idle get a trigger of their own first
  const idleContinuous = jobs.filter((j) => !j.paused_at && !j.removed_at && !j.definition.disabled && j.definition.schedule.kind === "continuously"
    && !activeBy.get(j.key) && !(pendingBy.get(j.key)?.length));
  if (idleContinuous.length) {
    const r = await sql.query<PendingRow>(
      `INSERT INTO scheduler_trigger (job_key, trigger_id, title, created_at, emitted_by)
       SELECT k, 'continuous:' || k || ':' || $2::text, 'continuous run', $3, 'scheduler' FROM unnest($1::text[]) AS k
       ON CONFLICT DO NOTHING RETURNING id::text AS id, job_key, trigger_id, title, url, created_at, emitted_by, properties, tags`,
      [idleContinuous.map((j) => j.key), String(now.getTime()), now]);
    for (const row of r.rows) pendingBy.set(row.job_key, [row]);
  }

  const launches: { job: JobRow; batch: PendingRow[] }[] = [];
  const discards: string[] = [];
  const logs = new Map<string, TriageLog>();
  for (const job of jobs) {
    const log = new TriageLog(t0);
    const say = (m: string) => log.say(m);
    const pending = pendingBy.get(job.key) ?? [];
    const active = activeBy.get(job.key) ?? 0;
    say(`${pending.length} pending trigger(s), ${active} active invocation(s)`);
    for (const p of pending) if (p.emitted_by === "cron") for (const line of lateTickLines(p.trigger_id, p.properties)) say(line);
    if (job.removed_at || job.definition.disabled || job.paused_at) {
      discards.push(...pending.map((p) => p.id));
      say(`job is ${job.paused_at ? "paused" : "disabled"}: no invocations start${pending.length ? `; discarding ${pending.length} trigger(s)` : ""}`);
    } else {
      if (job.definition.schedule.kind === "continuously" && idleContinuous.includes(job)) say("continuous job is idle: emitted a trigger");
      const d = applyPolicy(job.definition.policy, { activeInvocations: active, pending: pending.map((p) => ({ ...p, createdAt: p.created_at.getTime() })), now: now.getTime() });
      say(`policy ${job.definition.policy.kind}: ${d.requests.length} invocation(s) to start, ${d.discard.length} trigger(s) to discard`);
      for (const batch of d.requests) launches.push({ job, batch });
      discards.push(...d.discard.map((p) => p.id));
    }
    logs.set(job.key, log);
  }

  if (launches.length) {
    const inv = await sql.query<{ id: string; ord: string }>(
      `INSERT INTO scheduler_invocation (job_key, state, revision, task, triggered_by, incoming_triggers, properties, tags, started_at, debug_log)
       SELECT t.job_key, 'STARTING', t.revision, t.task, t.triggered_by, t.incoming, t.properties,
              ARRAY(SELECT jsonb_array_elements_text(t.tags)), $1, t.log
         FROM unnest($2::text[], $3::text[], $4::jsonb[], $5::text[], $6::jsonb[], $7::jsonb[], $8::jsonb[], $9::text[]) WITH ORDINALITY
              AS t(job_key, revision, task, triggered_by, incoming, properties, tags, log, ord)
        ORDER BY t.ord
       RETURNING id::text AS id`,
      [
        now,
        launches.map((l) => l.job.key),
        launches.map((l) => l.job.revision),
        launches.map((l) => JSON.stringify(l.job.definition.task)),
        launches.map((l) => l.batch[l.batch.length - 1]!.emitted_by),
        launches.map((l) => JSON.stringify(l.batch.map((t) => ({ id: t.trigger_id, title: t.title, url: t.url, createdAt: t.created_at.getTime(), emittedBy: t.emitted_by, properties: t.properties, tags: t.tags })))),
        launches.map((l) => JSON.stringify(l.batch[l.batch.length - 1]!.properties ?? {})),
        launches.map((l) => JSON.stringify([...new Set(l.batch.flatMap((t) => t.tags))])),
        launches.map((l) => logLine(now, `invocation created by triage with ${l.batch.length} trigger(s); config revision ${l.job.revision}`)),
      ],
    );
    // ids come from one sequence in insertion (ord) order
    const ids = inv.rows.map((r) => r.id).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    const triggerIds: string[] = [], invocationIds: string[] = [];
    launches.forEach((l, i) => {
      for (const t of l.batch) {
        triggerIds.push(t.id);
        invocationIds.push(ids[i]!);
      }
      logs.get(l.job.key)!.say(`started invocation ${ids[i]} with trigger(s) ${l.batch.map((t) => t.trigger_id).join(", ")}`);
    });
    await sql.query(
      `UPDATE scheduler_trigger t SET invocation_id = u.inv FROM unnest($1::bigint[], $2::bigint[]) AS u(id, inv) WHERE t.id = u.id`,
      [triggerIds, invocationIds]);
    await enqueueJobs(sql, INVOCATIONS_QUEUE, launches.map((l, i) => ({ body: ids[i]!, priority: 1, runAfter: null, attemptsAllowed: 5, customStatus: l.job.key })), now, "scheduler");
  }
  if (discards.length) await sql.query(`UPDATE scheduler_trigger SET discarded_at = $2 WHERE id = ANY($1::bigint[])`, [discards, now]);
  // Clear each request only if nothing asked again meanwhile (a newer request keeps the job queued for triage).
  await sql.query(
    `UPDATE scheduler_job j SET last_triage_at = $1, triage_log = u.log,
            triage_requested_at = CASE WHEN j.triage_requested_at = u.requested THEN NULL ELSE j.triage_requested_at END
       FROM unnest($2::text[], $3::text[], $4::timestamptz[]) AS u(key, log, requested) WHERE j.key = u.key`,
    [now, keys, jobs.map((j) => logs.get(j.key)!.done().join("\n")),
      jobs.map((j) => j.triage_requested_at)],
  );
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const list = m.get(key(r));
    if (list) list.push(r);
    else m.set(key(r), [r]);
  }
  return m;
}
