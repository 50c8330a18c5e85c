import { isBigintId } from "../bounds.ts";
import type { Sql } from "@hourglass/db";
import type { Caller, EngineContext } from "../context.ts";
import { HourglassError } from "../errors.ts";
import type { EventLog, HistoryPage } from "../events/log.ts";
import { appendEvents } from "../events/sql/appendEvents.ts";
import { maskTask } from "../executors/secrets.ts";
import { withTransaction } from "../transaction.ts";
import type { JobDefinition, SchedulerTask } from "./catalog.ts";
import { arm } from "./cron-machine.ts";
import type { SchedulerHooks } from "./hooks.ts";
import { finish } from "./host/invocations.ts";
import type { TaskRun } from "./host/task-runs.ts";
import { ACTIVE_INVOCATION_STATES } from "./invocation-states.ts";
import { JOB_STATE_COUNTS_SQL, jobFlavor, jobStateSql, type JobState } from "./job-state.ts";
import { maskedDefinition } from "./masked-definition.ts";
import { describeSchedule } from "./schedule.ts";
import { getBackfill, listBackfills } from "./host/backfill-reads.ts";
import { runBackfill, type BackfillRequest } from "./host/backfills.ts";
import { upcomingRuns } from "./slots.ts";
import type { EmitTriggersInput } from "./schemas.ts";
import type { IncomingTrigger } from "./sql/createInvocations.ts";
import { emitTriggers, type NewTrigger } from "./sql/emitTriggers.ts";
import { projectOf } from "./sql/events.ts";
import { pauseJob } from "./sql/pauseJob.ts";
import { resumeJob } from "./sql/resumeJob.ts";
import { pendingTriggerSql } from "./trigger-states.ts";

export type { SchedulerHooks } from "./hooks.ts";

export interface JobSummary {
  job: string;
  project: string;
  id: string;
  state: JobState;
  flavor: "periodic" | "triggered" | "triggering";
  schedule: string;
  scheduleInWords: string;
  nextRunTimestampMillis: number | null;
  paused: { byWho: string | null; atTimestampMillis: number; reason: string | null } | null;
  revision: string;
  description: string | null;
}

export interface InvocationSummary {
  id: string;
  job: string;
  state: string;
  startedTimestampMillis: number;
  finishedTimestampMillis: number | null;
  triggeredBy: string;
  retryCount: number;
  revision: string;
}

const JOB_COLUMNS = `j.key, j.project_id, j.job_id, j.definition, j.revision, j.next_tick_at, j.paused_at, j.paused_by, j.pause_reason, ${jobStateSql()} AS state`;
type JobRow = { key: string; project_id: string; job_id: string; definition: JobDefinition; revision: string; next_tick_at: Date | null; paused_at: Date | null; paused_by: string | null; pause_reason: string | null; state: JobState };

function toSummary(r: JobRow): JobSummary {
  return {
    job: r.key, project: r.project_id, id: r.job_id, state: r.state, flavor: jobFlavor(r.definition),
    schedule: r.definition.scheduleText, scheduleInWords: describeSchedule(r.definition.schedule),
    nextRunTimestampMillis: r.next_tick_at?.getTime() ?? null,
    paused: r.paused_at ? { byWho: r.paused_by, atTimestampMillis: r.paused_at.getTime(), reason: r.pause_reason } : null,
    revision: r.revision, description: r.definition.description ?? null,
  };
}

const INVOCATION_COLUMNS = `id::text AS id, job_key, state::text AS state, started_at, finished_at, triggered_by, retry_count, revision`;
type InvocationRow = { id: string; job_key: string; state: string; started_at: Date; finished_at: Date | null; triggered_by: string; retry_count: number; revision: string };
const toInvocation = (r: InvocationRow): InvocationSummary => ({
  id: r.id, job: r.job_key, state: r.state, startedTimestampMillis: r.started_at.getTime(),
  finishedTimestampMillis: r.finished_at?.getTime() ?? null, triggeredBy: r.triggered_by, retryCount: r.retry_count, revision: r.revision,
});

type InvocationDetailRow = InvocationRow & {
  incoming_triggers: unknown; outgoing_triggers: unknown; properties: unknown; tags: string[]; debug_log: string;
  view_url: string | null; aborted_by: string | null; request_id: string | null; request_state: string | null;
  task: SchedulerTask; task_runs: TaskRun[];
};

/** The scheduler's public API: LUCI's Scheduler service. Every call names its caller. */
const at = (ms: number | undefined) => (ms === undefined ? null : new Date(ms));

export class Scheduler {
  constructor(
    private readonly ctx: EngineContext,
    private readonly events: EventLog,
    private readonly random: () => number = Math.random,
    /** What it tells and asks of the rest of the engine; workers' invocation runners get the same. */
    readonly hooks: SchedulerHooks = {},
  ) {}

  /**
   * The one permission check. Everything is visible until access control
   * lands; then a job the caller may not see must read as "no such job".
   */
  private async visibleJob<Extra extends object = object>(_caller: Caller, key: string, extraColumns = ""): Promise<JobRow & Extra> {
    const r = await this.ctx.db.sql.query<JobRow & Extra>(`SELECT ${JOB_COLUMNS}${extraColumns} FROM scheduler_job j WHERE j.key = $1`, [key]);
    if (!r.rows[0]) throw new HourglassError("JOB_NOT_FOUND", `no such job: ${key}`);
    return r.rows[0];
  }

  async getProjects(_caller: Caller) {
    const [projects, counts] = await Promise.all([
      this.ctx.db.sql.query<{ id: string; file_name: string; revision: string; loaded_at: Date; errors: unknown }>(`SELECT id, file_name, revision, loaded_at, errors FROM scheduler_project ORDER BY id`),
      this.ctx.db.sql.query<{ project_id: string; state: JobState; n: number }>(JOB_STATE_COUNTS_SQL),
    ]);
    return projects.rows.map((p) => {
      const byState: Record<JobState, number> = { RUNNING: 0, SCHEDULED: 0, WAITING: 0, PAUSED: 0, DISABLED: 0 };
      for (const c of counts.rows) if (c.project_id === p.id) byState[c.state] = c.n;
      return { id: p.id, fileName: p.file_name, revision: p.revision, loadedAtTimestampMillis: p.loaded_at.getTime(), errors: p.errors as { file: string; line: number; message: string }[] | null, counts: byState };
    });
  }

  /** Jobs in key order with a real cursor (the last key of the previous page). */
  async getJobs(_caller: Caller, input: { project?: string; cursor?: string; pageSize: number }): Promise<{ jobs: JobSummary[]; nextCursor: string | null }> {
    const r = await this.ctx.db.sql.query<JobRow>(
      `SELECT ${JOB_COLUMNS} FROM scheduler_job j
        WHERE ($1::text IS NULL OR j.project_id = $1) AND ($2::text IS NULL OR j.key > $2)
        ORDER BY j.key LIMIT $3`,
      [input.project ?? null, input.cursor ?? null, input.pageSize + 1],
    );
    const page = r.rows.slice(0, input.pageSize);
    return { jobs: page.map(toSummary), nextCursor: r.rows.length > input.pageSize ? page[page.length - 1]!.key : null };
  }

  async getJob(caller: Caller, key: string) {
    const job = await this.visibleJob<{ triage_log: string; last_triage_at: Date | null; triage_requested_at: Date | null; removed_at: Date | null }>(
      caller, key, ", j.triage_log, j.last_triage_at, j.triage_requested_at, j.removed_at");
    const schedule = job.definition.schedule;
    return {
      ...toSummary(job),
      definition: maskedDefinition(job.definition),
      /** The next 10 runs of a cron schedule (slot and start, with its jitter) and its zone; null for other schedules. */
      upcoming: schedule.kind === "cron"
        ? { timezone: schedule.timezone, runs: upcomingRuns(schedule, key, this.ctx.clock.now().getTime(), 10) }
        : null,
      removedAtTimestampMillis: job.removed_at?.getTime() ?? null,
      triage: {
        log: job.triage_log,
        atTimestampMillis: job.last_triage_at?.getTime() ?? null,
        /** A triage was asked for after the one this log describes and has not run yet. */
        stale: job.triage_requested_at !== null && (job.last_triage_at === null || job.triage_requested_at > job.last_triage_at),
      },
    };
  }

  async getJobTriageLog(caller: Caller, key: string) {
    return (await this.getJob(caller, key)).triage;
  }

  /**
   * Newest first; the cursor is the last id of the previous page. A started-at
   * range filters the same (job_key, id) walk: it reads one job's invocations
   * only, newest first, until the page is full (or the job's oldest, when
   * fewer match) — bounded by that job's history, not by the table.
   */
  async getInvocations(caller: Caller, input: {
    job: string; cursor?: string; pageSize: number; activeOnly: boolean; finishedOnly: boolean;
    startedSinceTimestampMillis?: number; startedUntilTimestampMillis?: number;
  }) {
    await this.visibleJob(caller, input.job);
    if (input.cursor !== undefined && !isBigintId(input.cursor)) throw new HourglassError("INVALID_ARGUMENT", "cursor is not one getInvocations returned");
    const filter = input.activeOnly ? `AND state = ANY($4::"InvocationState"[])` : input.finishedOnly ? `AND NOT (state = ANY($4::"InvocationState"[]))` : `AND $4::text[] IS NOT NULL`;
    const r = await this.ctx.db.sql.query<InvocationRow>(
      // scheduler_invocation.id, not the text alias `id`, orders the page (as the cursor compares)
      `SELECT ${INVOCATION_COLUMNS} FROM scheduler_invocation
        WHERE job_key = $1 AND ($2::bigint IS NULL OR id < $2) ${filter}
          AND ($5::timestamptz IS NULL OR started_at >= $5) AND ($6::timestamptz IS NULL OR started_at < $6)
        ORDER BY scheduler_invocation.id DESC LIMIT $3`,
      [
        input.job, input.cursor ?? null, input.pageSize + 1, ACTIVE_INVOCATION_STATES,
        at(input.startedSinceTimestampMillis), at(input.startedUntilTimestampMillis),
      ],
    );
    const page = r.rows.slice(0, input.pageSize);
    return { invocations: page.map(toInvocation), nextCursor: r.rows.length > input.pageSize ? page[page.length - 1]!.id : null };
  }

  async getInvocation(caller: Caller, key: string, id: string) {
    await this.visibleJob(caller, key);
    const r = await this.ctx.db.sql.query<InvocationDetailRow>(
      `SELECT ${INVOCATION_COLUMNS}, incoming_triggers, outgoing_triggers, properties, tags, debug_log, view_url, aborted_by,
              r.request_id, r.request_state, task, task_runs
         FROM scheduler_invocation
         LEFT JOIN LATERAL (SELECT id AS request_id, state::text AS request_state FROM request WHERE invocation_id = scheduler_invocation.id) r ON true
        WHERE scheduler_invocation.id = $1 AND job_key = $2`, [id, key]);
    const row = r.rows[0];
    if (!row) throw new HourglassError("INVOCATION_NOT_FOUND", `job ${key} has no invocation ${id}`);
    return {
      ...toInvocation(row), incomingTriggers: row.incoming_triggers, outgoingTriggers: row.outgoing_triggers,
      properties: row.properties, tags: row.tags, debugLog: row.debug_log, viewUrl: row.view_url, abortedBy: row.aborted_by,
      /** The request this invocation started (task kind `request`). */
      request: row.request_id ? { id: row.request_id, state: row.request_state! } : null,
      /** The task it runs, as pinned at its revision (an executor config, or a request type and args). */
      task: maskTask(row.task),
      /** Each run of the task, oldest first (noop and request tasks record none). */
      taskRuns: row.task_runs,
    };
  }

  /** Pending triggers, oldest first. */
  async listTriggers(caller: Caller, key: string) {
    await this.visibleJob(caller, key);
    const r = await this.ctx.db.sql.query<{ trigger_id: string; title: string; url: string | null; created_at: Date; emitted_by: string; properties: unknown; tags: string[] }>(
      `SELECT trigger_id, title, url, created_at, emitted_by, properties, tags FROM scheduler_trigger
        WHERE job_key = $1 AND ${pendingTriggerSql("scheduler_trigger")} ORDER BY created_at, id LIMIT 1000`, [key]);
    return r.rows.map((t) => ({ id: t.trigger_id, title: t.title, url: t.url, createdTimestampMillis: t.created_at.getTime(), emittedBy: t.emitted_by, properties: t.properties, tags: t.tags }));
  }

  /**
   * An invocation's history from the event log, oldest first: complete and
   * paginated (`after` is the previous page's `next`). Only an invocation of
   * `key` is found, so reading a job's invocations is what it takes.
   */
  async invocationHistory(caller: Caller, key: string, id: string, page: { after?: string; limit?: number }): Promise<HistoryPage> {
    await this.visibleJob(caller, key);
    const r = await this.ctx.db.sql.query(`SELECT 1 FROM scheduler_invocation WHERE id = $1 AND job_key = $2`, [id, key]);
    if (r.rows.length === 0) throw new HourglassError("INVOCATION_NOT_FOUND", `job ${key} has no invocation ${id}`);
    return this.events.history("invocation", id, page);
  }

  /**
   * Runs the job once per cron slot of a past range (host/backfills.ts); a
   * dry run says how many slots it would run and skip, and writes nothing.
   */
  async backfill(caller: Caller, input: BackfillRequest) {
    await this.visibleJob(caller, input.job);
    return runBackfill(this.ctx, caller, input);
  }

  /** The job's backfills with their progress, newest first. */
  async getBackfills(caller: Caller, input: { job: string; cursor?: string; pageSize: number }) {
    await this.visibleJob(caller, input.job);
    return listBackfills(this.ctx.db.sql, input.job, input);
  }

  /** One backfill with each of its slots and their invocations. */
  async getBackfill(caller: Caller, key: string, id: string) {
    await this.visibleJob(caller, key);
    return getBackfill(this.ctx.db.sql, key, id);
  }

  /** Stops ticks and ignores triggers until resumed; pending triggers are discarded; running invocations continue. */
  async pauseJob(caller: Caller, key: string, reason: string) {
    await this.visibleJob(caller, key);
    await pauseJob(this.ctx.db.sql, this.ctx.clock.now(), key, caller.id, reason);
    return this.getJob(caller, key);
  }

  async resumeJob(caller: Caller, key: string, reason = "") {
    const job = await this.visibleJob(caller, key);
    const now = this.ctx.clock.now();
    const next = arm({ nextTickAt: null, lastSlotAt: null }, job.definition.schedule, now.getTime(), this.random, key).nextTickAt;
    await resumeJob(this.ctx.db.sql, now, key, next === null ? null : new Date(next), caller.id, reason);
    return this.getJob(caller, key);
  }

  async abortInvocation(caller: Caller, key: string, id: string) {
    await this.getInvocation(caller, key, id);
    const [aborted] = await finish(this.ctx, [{
      id, jobKey: key, to: "ABORTED", from: ACTIVE_INVOCATION_STATES, by: caller.id, reason: "aborted by an operator",
    }]);
    if (aborted) await this.hooks.invocationsAborted?.(caller, [id]);
    return { aborted: aborted! };
  }

  /** Aborts every active invocation of the job; when there were any, its `aborted` event says how many. */
  async abortJob(caller: Caller, key: string) {
    await this.visibleJob(caller, key);
    const active = await this.ctx.db.sql.query<{ id: string }>(
      `SELECT id::text AS id FROM scheduler_invocation WHERE job_key = $1 AND state = ANY($2::"InvocationState"[])`, [key, ACTIVE_INVOCATION_STATES]);
    const ended = await finish(this.ctx, active.rows.map(({ id }) => ({
      id, jobKey: key, to: "ABORTED" as const, from: ACTIVE_INVOCATION_STATES, by: caller.id, reason: "its job was aborted",
    })), async (sql, now, done) => {
      const ids = active.rows.filter((_, i) => done[i]).map((r) => r.id);
      if (ids.length === 0) return;
      await appendEvents(sql, [{
        at: now, project: projectOf(key), entityKind: "scheduler_job", entityId: key, action: "aborted",
        reason: `${ids.length} active invocation(s) aborted`, actor: caller.id, payload: { invocations: ids },
      }]);
    });
    await this.hooks.invocationsAborted?.(caller, active.rows.filter((_, i) => ended[i]).map((r) => r.id));
    return { aborted: ended.filter(Boolean).length };
  }

  /**
   * Aborts many invocations of a job: a selection (`invocationIds`), or every
   * active one, newest first in batches (`after`: the previous batch's
   * `next`). An invocation that is not active is skipped, saying its state; a
   * batch that aborted any writes the job's `invocations_aborted` event.
   */
  async abortInvocations(caller: Caller, key: string, input: { invocationIds?: string[]; limit: number; after?: string }) {
    await this.visibleJob(caller, key);
    const rows = (await this.ctx.db.sql.query<{ id: string; state: string }>(
      input.invocationIds
        ? `SELECT id::text AS id, state::text AS state FROM scheduler_invocation WHERE job_key = $1 AND id = ANY($2::bigint[])
            AND $3::int IS NOT NULL AND $4::bigint IS NULL AND $5::"InvocationState"[] IS NOT NULL ORDER BY id DESC`
        : `SELECT id::text AS id, state::text AS state FROM scheduler_invocation
            WHERE job_key = $1 AND $2::bigint[] IS NULL AND state = ANY($5::"InvocationState"[])
              AND ($4::bigint IS NULL OR id < $4) ORDER BY id DESC LIMIT $3`,
      [key, input.invocationIds ?? null, input.limit, input.after ?? null, ACTIVE_INVOCATION_STATES])).rows;
    const active = rows.filter((r) => (ACTIVE_INVOCATION_STATES as readonly string[]).includes(r.state));
    const skipped = new Map<string, string[]>();
    const skip = (reason: string, id: string) => skipped.set(reason, [...(skipped.get(reason) ?? []), id]);
    for (const id of input.invocationIds ?? []) if (!rows.some((r) => r.id === id)) skip("no such invocation", id);
    for (const r of rows) if (!active.includes(r)) skip(`${r.state}: only ${ACTIVE_INVOCATION_STATES.join(", ")} invocations can be aborted`, r.id);
    const ended = await finish(this.ctx, active.map(({ id }) => ({
      id, jobKey: key, to: "ABORTED" as const, from: ACTIVE_INVOCATION_STATES, by: caller.id, reason: "aborted by an operator",
    })), async (sql, now, done) => {
      active.forEach((r, i) => { if (!done[i]) skip("ended meanwhile", r.id); });
      const ids = active.filter((_, i) => done[i]).map((r) => r.id);
      if (ids.length === 0) return;
      await appendEvents(sql, [{
        at: now, project: projectOf(key), entityKind: "scheduler_job", entityId: key, action: "invocations_aborted",
        reason: `${ids.length} invocation(s) aborted`, actor: caller.id,
        payload: { ...(input.invocationIds ? { selection: input.invocationIds.length } : { filter: "active" }), invocations: ids },
      }]);
    });
    const aborted = active.filter((_, i) => ended[i]).map((r) => r.id);
    await this.hooks.invocationsAborted?.(caller, aborted);
    return {
      aborted: aborted.length,
      skipped: [...skipped].map(([reason, ids]) => ({ reason, count: ids.length, invocationIds: ids.slice(0, 5) })),
      next: !input.invocationIds && rows.length === input.limit ? rows[rows.length - 1]!.id : null,
    };
  }

  /**
   * "Run again with the same triggers": the invocation's incoming triggers
   * are emitted again under new ids (title, url, properties, tags kept; tag
   * `rerun` added), or one manual trigger when it had none. Triage starts the
   * new invocation as usual (a paused job ignores them). The job's `rerun`
   * event names the invocation and the new trigger ids.
   */
  async rerunInvocation(caller: Caller, key: string, id: string): Promise<{ accepted: number; ignored: number }> {
    const inv = await this.getInvocation(caller, key, id);
    const incoming = (Array.isArray(inv.incomingTriggers) ? inv.incomingTriggers : []) as IncomingTrigger[];
    const nonce = crypto.randomUUID();
    const batches = (incoming.length > 0 ? incoming : [{ id: "manual", title: `rerun of invocation ${id}`, properties: {}, tags: [] }])
      .map((tr, i) => ({
        trigger: {
          id: `rerun:${id}:${i}:${nonce}`, title: tr.title, ...("url" in tr && tr.url ? { url: tr.url } : {}),
          properties: (tr.properties ?? {}) as Record<string, unknown>, tags: [...new Set([...(tr.tags ?? []), "rerun"])],
        },
        jobs: [key],
      }));
    return this.emit(caller, { batches }, async (sql, now, accepted) => {
      if (accepted === 0) return;
      await appendEvents(sql, [{
        at: now, project: projectOf(key), entityKind: "scheduler_job", entityId: key, action: "rerun",
        reason: `invocation ${id} runs again with its ${incoming.length} trigger(s)`, actor: caller.id,
        payload: { invocation: id, triggers: batches.map((b) => b.trigger.id) },
      }]);
    });
  }

  /**
   * The dashboard's "trigger now": one trigger with a fresh id, and the job's
   * `triggered` event in the same transaction. A paused job ignores it (and
   * records nothing).
   */
  async triggerJob(caller: Caller, key: string, title: string): Promise<{ accepted: number; ignored: number }> {
    const trigger = { id: `manual:${crypto.randomUUID()}`, title, properties: {}, tags: ["manual"] };
    return this.emit(caller, { batches: [{ trigger, jobs: [key] }] }, async (sql, now, accepted) => {
      if (accepted === 0) return;
      await appendEvents(sql, [{
        at: now, project: projectOf(key), entityKind: "scheduler_job", entityId: key, action: "triggered",
        reason: title, actor: caller.id, payload: { trigger: trigger.id },
      }]);
    });
  }

  /**
   * LUCI's EmitTriggers: the whole call is rejected if any job is unknown;
   * retry-safe by trigger id (a repeated id for a job is ignored); triggers
   * for paused jobs are ignored.
   */
  emitTriggers(caller: Caller, input: EmitTriggersInput): Promise<{ accepted: number; ignored: number }> {
    return this.emit(caller, input);
  }

  private async emit(
    caller: Caller, input: EmitTriggersInput, then?: (sql: Sql, now: Date, accepted: number) => Promise<void>,
  ): Promise<{ accepted: number; ignored: number }> {
    const now = this.ctx.clock.now();
    let createdAt = now;
    if (input.timestamp !== undefined) {
      if (Math.abs(input.timestamp - now.getTime()) > 15 * 60_000) throw new HourglassError("INVALID_ARGUMENT", "timestamp must be within 15 minutes of now");
      createdAt = new Date(input.timestamp);
    }
    const keys = [...new Set(input.batches.flatMap((b) => b.jobs))];
    const known = await this.ctx.db.sql.query<{ key: string }>(`SELECT key FROM scheduler_job WHERE key = ANY($1::text[]) AND removed_at IS NULL`, [keys]);
    const missing = keys.filter((k) => !known.rows.some((r) => r.key === k));
    if (missing.length > 0) throw new HourglassError("JOB_NOT_FOUND", `no such job: ${missing.join(", ")}; no trigger was emitted`);
    const rows: NewTrigger[] = input.batches.flatMap((b) => b.jobs.map((job) => ({
      jobKey: job, triggerId: b.trigger.id, title: b.trigger.title, url: b.trigger.url ?? null, createdAt,
      emittedBy: caller.id, properties: b.trigger.properties, tags: b.trigger.tags,
    })));
    // triggers and the triage request commit together: a pending trigger is never left unnoticed
    const accepted = await withTransaction(this.ctx.db.pool, async (sql) => {
      const inserted = await emitTriggers(sql, now, rows, caller.id);
      const touched = [...new Set(inserted.map((x) => x.job_key))];
      if (touched.length) await sql.query(`UPDATE scheduler_job SET triage_requested_at = $2 WHERE key = ANY($1::text[])`, [touched, now]);
      await then?.(sql, now, inserted.length);
      return inserted.length;
    });
    return { accepted, ignored: rows.length - accepted };
  }
}
