import type { Sql } from "@hourglass/db";
import { enqueueJobs } from "../../queue/sql/enqueueJobs.ts";
import type { JobDefinition } from "../catalog.ts";
import { LATE_SLOT_MS, ticker, type CronTrigger } from "../cron-machine.ts";
import { ACTIVE_INVOCATION_STATES } from "../job-state.ts";
import { applyPolicy } from "../policies.ts";
import { logStamp } from "./debug-log.ts";
import { TriageLog } from "./triage-log.ts";

/**
 * Tick timers: LUCI's delayed tick tasks, on our own queue. Ahead of a job's
 * next tick the tick service enqueues a timer (a job of the invocations
 * queue, due at the tick) and records its id on the job row. When a worker
 * claims the timer it fires the tick there and then. If the job is quiet (no
 * pending triggers, nothing running, no triage waiting) the triage outcome is
 * known, so the same transaction starts the invocation, RUNNING on that
 * worker, and writes the triage log: a minute's slot of 10,000 jobs needs no
 * separate tick and triage passes. Otherwise the tick only records its
 * trigger and asks for triage, as a tick always did.
 *
 * Anything that rewrites a job's next tick (pause, resume, a schedule change,
 * removal) clears the recorded timer id; a timer that finds another id is
 * stale and does nothing.
 */

/** Timers are armed this long before their tick, so a minute's ticks are queued before the minute starts. */
export const ARM_AHEAD_MS = 10_000;
/**
 * A tick whose timer has not fired this long after it was due is fired by the
 * tick service instead: its worker died holding it (workers claim timers up
 * to SchedulerLoops.claimAheadMs early), it was deleted from the queue, or no
 * worker serves the invocations queue. Its timer, if it ever runs, is then
 * stale. A timer that is merely late (workers overloaded) loses nothing
 * either: the job row decides which of the two fires the slot.
 */
export const LOST_TIMER_MS = 5_000;

const TIMER_PREFIX = "tick:";

/** A timer's queue-job body names its job. */
export function timerBody(jobKey: string): string {
  return TIMER_PREFIX + jobKey;
}

/** The job a timer body names, or null for an invocation id. */
export function timerJobKey(body: string): string | null {
  return body.startsWith(TIMER_PREFIX) ? body.slice(TIMER_PREFIX.length) : null;
}

/** Enqueues one timer per job, due at its next tick, and records it on the job row. */
export async function armTimers(sql: Sql, queueName: string, now: Date, jobs: { key: string; nextTickAt: Date }[]): Promise<void> {
  if (jobs.length === 0) return;
  const ids = await enqueueJobs(sql, queueName,
    jobs.map((j) => ({ body: timerBody(j.key), priority: 1, runAfter: j.nextTickAt, attemptsAllowed: 5, customStatus: `tick timer of ${j.key}` })), now, "scheduler");
  await sql.query(
    `UPDATE scheduler_job j SET tick_timer_id = u.timer FROM unnest($1::text[], $2::bigint[]) AS u(key, timer) WHERE j.key = u.key`,
    [jobs.map((j) => j.key), ids]);
}

/** A cron tick's trigger: its id names the slot, so a slot ticked twice records one trigger. */
export interface TickTrigger {
  jobKey: string;
  id: string;
  title: string;
  slot: string;
  /** Properties beyond the slot: how late it fired, and what a catch-up skipped (see tickProperties). */
  late?: Record<string, unknown>;
}

/** A tick trigger from the cron machine's. */
export function tickTrigger(jobKey: string, t: CronTrigger): TickTrigger {
  const trigger: TickTrigger = { jobKey, id: t.id, title: t.title, slot: new Date(t.slotAt).toISOString() };
  // on time means within a second; later ticks say by how much, so the triage log can tell
  if (t.lateMs >= 1000 || t.skipped) trigger.late = { late_ms: t.lateMs };
  if (t.skipped) {
    Object.assign(trigger.late!, {
      skipped_slots: t.skipped.count,
      skipped_from: new Date(t.skipped.from).toISOString(),
      skipped_to: new Date(t.skipped.to).toISOString(),
    });
  }
  return trigger;
}

/** A tick trigger's properties: its slot, and how late it was when it fired late. */
export function tickProperties(t: TickTrigger): Record<string, unknown> {
  return { slot: t.slot, ...t.late };
}

/** Triage-log lines for a late or catch-up tick (none for one on time). */
export function lateTickLines(triggerId: string, properties: unknown): string[] {
  const p = (properties ?? {}) as { slot?: string; late_ms?: number; skipped_slots?: number; skipped_from?: string; skipped_to?: string };
  if (typeof p.late_ms !== "number") return [];
  const lines = [`trigger ${triggerId} for slot ${p.slot} fired ${p.late_ms} ms late`];
  if (p.skipped_slots) {
    lines.push(`catch-up: skipped ${p.skipped_slots} slot(s) from ${p.skipped_from} to before ${p.skipped_to}: `
      + `missed by more than ${LATE_SLOT_MS / 1000} s (no worker was running), collapsed into this run`);
  }
  return lines;
}

/** Records ticks as pending triggers (the triage that follows picks them up); a trigger already recorded is kept. */
export async function recordTickTriggers(sql: Sql, now: Date, ticks: TickTrigger[]): Promise<void> {
  if (ticks.length === 0) return;
  await sql.query(
    `INSERT INTO scheduler_trigger (job_key, trigger_id, title, created_at, emitted_by, properties)
     SELECT k, id, title, $1, 'cron', props
       FROM unnest($2::text[], $3::text[], $4::text[], $5::jsonb[]) AS t(k, id, title, props)
     ON CONFLICT (job_key, trigger_id) DO NOTHING`,
    [now, ticks.map((t) => t.jobKey), ticks.map((t) => t.id), ticks.map((t) => t.title), ticks.map((t) => JSON.stringify(tickProperties(t)))]);
}

/** A claimed timer: its queue job id and the job it ticks. */
export interface FiringTimer { timerId: string; jobKey: string }

/** An invocation now RUNNING on this worker: what its runner needs to execute it. */
export interface StartedInvocation { id: string; job_key: string; task: unknown; incoming_triggers: unknown }

interface JobRow {
  key: string;
  definition: JobDefinition;
  revision: string;
  next_tick_at: Date | null;
  last_slot_at: Date | null;
  tick_timer_id: string | null;
  triage_requested_at: Date | null;
}

/**
 * Fires a batch of claimed timers; must run in one transaction. Returns, per
 * timer, the invocation it started, or null (stale timer, a tick that went to
 * triage, or one that was early). The job rows are locked first, in key
 * order, and the quiet check reads after the lock, so a triage that started
 * an invocation meanwhile is seen.
 */
export async function fireTimers(sql: Sql, now: Date, timers: FiringTimer[]): Promise<(StartedInvocation | null)[]> {
  const t0 = performance.now(); // elapsed real time for the triage log
  const jobs = (await sql.query<JobRow>(
    `SELECT key, definition, revision, next_tick_at, last_slot_at, tick_timer_id::text AS tick_timer_id, triage_requested_at
       FROM scheduler_job WHERE key = ANY($1::text[]) AND tick_timer_id = ANY($2::bigint[]) AND paused_at IS NULL AND removed_at IS NULL
      ORDER BY key FOR UPDATE`,
    [timers.map((t) => t.jobKey), timers.map((t) => t.timerId)])).rows;
  const byTimer = new Map(timers.map((t) => [t.timerId, t]));
  const live = jobs.filter((j) => byTimer.get(j.tick_timer_id!)?.jobKey === j.key);
  if (live.length === 0) return timers.map(() => null);
  const busy = new Set((await sql.query<{ key: string }>(
    `SELECT j.key FROM unnest($1::text[]) AS j(key)
      WHERE EXISTS (SELECT 1 FROM scheduler_trigger t WHERE t.job_key = j.key AND t.invocation_id IS NULL AND t.discarded_at IS NULL)
         OR EXISTS (SELECT 1 FROM scheduler_invocation i WHERE i.job_key = j.key AND i.state = ANY($2::"InvocationState"[]))`,
    [live.map((j) => j.key), ACTIVE_INVOCATION_STATES])).rows.map((r) => r.key));

  /** The job rows' new state, in lock order. */
  const updates: { key: string; next: Date | null; last: Date | null; log: string | null; triage: boolean }[] = [];
  const starts: { job: JobRow; trigger: TickTrigger; timer: FiringTimer; log: TriageLog; update: (typeof updates)[number] }[] = [];
  const queued: TickTrigger[] = [];
  const tickAt = ticker(now.getTime());
  for (const job of live) {
    const timer = byTimer.get(job.tick_timer_id!)!;
    const r = tickAt({ nextTickAt: job.next_tick_at?.getTime() ?? null, lastSlotAt: job.last_slot_at?.getTime() ?? null }, job.definition.schedule, job.key);
    const update = {
      key: job.key, next: r.state.nextTickAt === null ? null : new Date(r.state.nextTickAt),
      last: r.state.lastSlotAt === null ? null : new Date(r.state.lastSlotAt), log: null as string | null, triage: false,
    };
    updates.push(update);
    if (!r.trigger) continue; // early (clocks disagree) or nothing to fire: the tick service arms or fires it again
    const trigger = tickTrigger(job.key, r.trigger);
    const quiet = !busy.has(job.key) && job.triage_requested_at === null;
    const decision = quiet && applyPolicy(job.definition.policy, { activeInvocations: 0, pending: [{ id: trigger.id, createdAt: now.getTime() }], now: now.getTime() });
    if (decision && decision.requests.length === 1) {
      const log = new TriageLog(t0);
      log.say(`tick timer fired for slot ${trigger.slot}: trigger ${trigger.id}`);
      for (const line of lateTickLines(trigger.id, tickProperties(trigger))) log.say(line);
      log.say(`1 pending trigger(s), 0 active invocation(s)`);
      log.say(`policy ${job.definition.policy.kind}: 1 invocation(s) to start, 0 trigger(s) to discard`);
      starts.push({ job, trigger, timer, log, update }); // the log is written once the invocation has its id
    } else {
      queued.push(trigger);
      update.triage = true;
    }
  }

  const started = new Map<string, StartedInvocation>();
  if (starts.length > 0) {
    // one JSON document rather than parallel arrays: JSON.stringify is far cheaper than pg's array-literal escaping
    const stamp = logStamp(now);
    const rows = starts.map((s) => {
      const incoming = [{ id: s.trigger.id, title: s.trigger.title, url: null, createdAt: now.getTime(), emittedBy: "cron", properties: tickProperties(s.trigger), tags: [] }];
      return {
        job_key: s.job.key, revision: s.job.revision, task: s.job.definition.task, incoming, slot: s.trigger.slot,
        timer: s.timer.timerId,
        log: `${stamp}invocation created by the tick timer with 1 trigger(s); config revision ${s.job.revision}\n${stamp}launching the task\n`,
      };
    });
    const ids = (await sql.query<{ id: string; timer: string }>(
      `INSERT INTO scheduler_invocation (job_key, state, revision, task, triggered_by, incoming_triggers, properties, started_at, timer_job_id, debug_log)
       SELECT u.job_key, 'RUNNING', u.revision, u.task, 'cron', u.incoming, jsonb_build_object('slot', u.slot), $1, u.timer, u.log
         FROM jsonb_to_recordset($2::jsonb) AS u(job_key text, revision text, task jsonb, incoming jsonb, slot text, timer bigint, log text)
       RETURNING id::text AS id, timer_job_id::text AS timer`,
      [now, JSON.stringify(rows)])).rows;
    const byTimerId = new Map(starts.map((s, i) => [s.timer.timerId, rows[i]!]));
    for (const { id, timer } of ids) {
      const row = byTimerId.get(timer)!;
      started.set(timer, { id, job_key: row.job_key, task: row.task, incoming_triggers: row.incoming });
    }
    for (const s of starts) {
      const inv = started.get(s.timer.timerId)!;
      s.log.say(`started invocation ${inv.id} with trigger(s) ${s.trigger.id}`);
      s.update.log = s.log.done().join("\n");
    }
  }
  // A tick its invocation consumed on arrival leaves no trigger row: the invocation's incoming triggers
  // record it, and the job row (locked, its next tick advanced) is what keeps a slot from firing twice.
  await recordTickTriggers(sql, now, queued);
  await sql.query(
    `UPDATE scheduler_job j SET next_tick_at = u.next, last_slot_at = u.last, tick_timer_id = NULL, updated_at = $1,
            triage_log = coalesce(u.log, j.triage_log),
            last_triage_at = CASE WHEN u.log IS NULL THEN j.last_triage_at ELSE $1 END,
            triage_requested_at = CASE WHEN u.triage THEN $1 ELSE j.triage_requested_at END
       FROM jsonb_to_recordset($2::jsonb) AS u(key text, next timestamptz, last timestamptz, log text, triage bool)
      WHERE j.key = u.key`,
    [now, JSON.stringify(updates)]);
  return timers.map((t) => started.get(t.timerId) ?? null);
}
