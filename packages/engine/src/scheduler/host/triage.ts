import type { Sql } from "@hourglass/db";
import type { EngineContext } from "../../context.ts";
import { enqueueJobs } from "../../queue/sql/enqueueJobs.ts";
import { withTransaction } from "../../transaction.ts";
import type { JobDefinition } from "../catalog.ts";
import { ACTIVE_INVOCATION_STATES } from "../invocation-states.ts";
import { createInvocations, type IncomingTrigger } from "../sql/createInvocations.ts";
import { discardTriggers } from "../sql/discardTriggers.ts";
import { emitTriggers, type TriggerRow } from "../sql/emitTriggers.ts";
import { SCHEDULER_ACTOR } from "../sql/events.ts";
import { recordTriage } from "../sql/recordTriage.ts";
import { decideTriage, startedLine } from "../triage-decision.ts";
import { pendingTriggerSql } from "../trigger-states.ts";
import { logLine } from "./debug-log.ts";
import { TriageLog } from "./triage-log.ts";

/** The internal queue invocations run on, and the handler that runs them. */
export const INVOCATIONS_QUEUE = "hourglass_invocations";
export const INVOCATION_HANDLER = "hourglass.invocation";
/** Jobs triaged per pass (one transaction, a handful of set-based statements). */
export const TRIAGE_BATCH = 1000;

interface JobRow {
  key: string;
  definition: JobDefinition;
  revision: string;
  paused_at: Date | null;
  removed_at: Date | null;
  triage_requested_at: Date;
}

/** A trigger row as an invocation's incoming trigger. */
export const incomingOf = (t: TriggerRow): IncomingTrigger => ({
  id: t.trigger_id, title: t.title, url: t.url, createdAt: t.created_at.getTime(), emittedBy: t.emitted_by,
  properties: t.properties, tags: t.tags,
});

/**
 * One pass of the triage over every job whose state changed (new triggers,
 * an invocation finished, a tick, a pause), up to TRIAGE_BATCH jobs: in one
 * transaction, with the job rows locked so two triages of a job never
 * interleave, it reads all their pending triggers and active invocations,
 * decides per job (triage-decision.ts), then writes invocations (with the
 * triggers they consume), discards, queue launches and triage logs as batches.
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
    sql.query<TriggerRow>(
      `SELECT id::text AS id, job_key, trigger_id, title, url, created_at, emitted_by, properties, tags FROM scheduler_trigger t
        WHERE job_key = ANY($1::text[]) AND ${pendingTriggerSql("t")}
        ORDER BY created_at, t.id`, [keys]), // the column: a bare `id` is the text alias
    sql.query<{ job_key: string; n: number }>(
      `SELECT job_key, count(*)::int AS n FROM scheduler_invocation
        WHERE job_key = ANY($1::text[]) AND state = ANY($2::"InvocationState"[]) GROUP BY job_key`, [keys, ACTIVE_INVOCATION_STATES]),
  ]);
  const pendingBy = groupBy(pendingRows.rows, (r) => r.job_key);
  const activeBy = new Map(activeRows.rows.map((r) => [r.job_key, r.n]));

  // continuous jobs that are idle get a trigger of their own first
  const idleContinuous = jobs.filter((j) => !j.paused_at && !j.removed_at && !j.definition.disabled && j.definition.schedule.kind === "continuously"
    && !activeBy.get(j.key) && !(pendingBy.get(j.key)?.length));
  const continuous = await emitTriggers(sql, now, idleContinuous.map((j) => ({
    jobKey: j.key, triggerId: `continuous:${j.key}:${now.getTime()}`, title: "continuous run", url: null, createdAt: now,
    emittedBy: "scheduler", properties: {}, tags: [],
  })), SCHEDULER_ACTOR);
  for (const row of continuous) pendingBy.set(row.job_key, [row]);

  const launches: { job: JobRow; batch: TriggerRow[] }[] = [];
  const discards: { id: string; reason: string }[] = [];
  const logs = new Map<string, TriageLog>();
  for (const job of jobs) {
    const log = new TriageLog(t0);
    const pending = pendingBy.get(job.key) ?? [];
    const blocked = job.paused_at ? "paused" : job.removed_at || job.definition.disabled ? "disabled" : null;
    const d = decideTriage({
      policy: job.definition.policy, blocked, active: activeBy.get(job.key) ?? 0, now: now.getTime(),
      pending: pending.map((p) => ({ ...p, triggerId: p.trigger_id, emittedBy: p.emitted_by, createdAt: p.created_at.getTime() })),
      notes: continuous.some((c) => c.job_key === job.key) ? ["continuous job is idle: emitted a trigger"] : [],
    }, log);
    for (const batch of d.requests) launches.push({ job, batch });
    discards.push(...d.discard.map((x) => ({ id: x.trigger.id, reason: x.reason })));
    logs.set(job.key, log);
  }

  if (launches.length) {
    const ids = await createInvocations(sql, now, launches.map(({ job, batch }) => ({
      jobKey: job.key, state: "STARTING", revision: job.revision, task: job.definition.task,
      triggeredBy: batch[batch.length - 1]!.emitted_by, incoming: batch.map(incomingOf),
      properties: (batch[batch.length - 1]!.properties ?? {}) as Record<string, unknown>,
      tags: [...new Set(batch.flatMap((t) => t.tags))],
      timerJobId: null, consumes: batch.map((t) => t.id), arrived: [],
      log: logLine(now, `invocation created by triage with ${batch.length} trigger(s); config revision ${job.revision}`),
      reason: `triage: policy ${job.definition.policy.kind}, ${batch.length} trigger(s)`,
    })), SCHEDULER_ACTOR);
    launches.forEach((l, i) => logs.get(l.job.key)!.say(startedLine(ids[i]!, l.batch.map((t) => t.trigger_id))));
    await enqueueJobs(sql, INVOCATIONS_QUEUE, launches.map((l, i) => ({
      body: ids[i]!, priority: 1, runAfter: null, attemptsAllowed: 5, customStatus: l.job.key,
    })), now, "scheduler");
  }
  await discardTriggers(sql, now, discards, SCHEDULER_ACTOR);
  await recordTriage(sql, now, jobs.map((j) => ({ key: j.key, log: logs.get(j.key)!.done().join("\n"), requested: j.triage_requested_at })));
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
