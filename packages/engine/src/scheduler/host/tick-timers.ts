import type { Sql } from "@hourglass/db";
import { decodeCarrier, encodeCarrier } from "../../queue/carriers.ts";
import { enqueueJobs } from "../../queue/sql/enqueueJobs.ts";
import type { JobDefinition } from "../catalog.ts";
import { ticker, type CronTrigger } from "../cron-machine.ts";
import { ACTIVE_INVOCATION_STATES } from "../invocation-states.ts";
import { advanceTickedJobs, type TickedJob } from "../sql/advanceTickedJobs.ts";
import { createInvocations, type NewInvocation } from "../sql/createInvocations.ts";
import { emitTriggers } from "../sql/emitTriggers.ts";
import { SCHEDULER_ACTOR } from "../sql/events.ts";
import type { StartedInvocation } from "../sql/launchInvocations.ts";
import { decideTriage, startedLine } from "../triage-decision.ts";
import { pendingTriggerSql } from "../trigger-states.ts";
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

/** A timer's queue-job body names its job (a typed carrier, queue/carriers.ts). */
export function timerBody(jobKey: string): string {
  return encodeCarrier("tick_timer", { jobKey });
}

/** The job a timer body names, or null for an invocation id. */
export function timerJobKey(body: string): string | null {
  return decodeCarrier("tick_timer", body)?.jobKey ?? null;
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
  /** Properties beyond the slot: its jitter, how late it fired, what a catch-up ran and skipped (see tickProperties). */
  late?: Record<string, unknown>;
}

/** A tick trigger from the cron machine's. */
export function tickTrigger(jobKey: string, t: CronTrigger): TickTrigger {
  const trigger: TickTrigger = { jobKey, id: t.id, title: t.title, slot: new Date(t.slotAt).toISOString() };
  // on time means within a second; later ticks say by how much, so the triage log can tell
  if (t.lateMs >= 1000 || t.skipped || t.catchUpWindowMs !== undefined) trigger.late = { late_ms: t.lateMs };
  if (t.catchUpWindowMs !== undefined) trigger.late!.catch_up_window_ms = t.catchUpWindowMs;
  if (t.jitterMs) trigger.late = { ...trigger.late, jitter_ms: t.jitterMs };
  if (t.caughtUp) trigger.late!.caught_up_slots = t.caughtUp;
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

/** Records ticks as pending triggers (the triage that follows picks them up); a trigger already recorded is kept. */
export async function recordTickTriggers(sql: Sql, now: Date, ticks: TickTrigger[]): Promise<void> {
  await emitTriggers(sql, now, ticks.map((t) => ({
    jobKey: t.jobKey, triggerId: t.id, title: t.title, url: null, createdAt: now, emittedBy: "cron",
    properties: tickProperties(t), tags: [],
  })), SCHEDULER_ACTOR);
}

/** A claimed timer: its queue job id and the job it ticks. */
export interface FiringTimer { timerId: string; jobKey: string }

export type { StartedInvocation };

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
 * an invocation meanwhile is seen. `actor` (the worker) is recorded as the
 * creator of the invocations; a tick that went to triage is the scheduler's.
 */
export async function fireTimers(sql: Sql, now: Date, timers: FiringTimer[], actor = SCHEDULER_ACTOR): Promise<(StartedInvocation | null)[]> {
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
      WHERE EXISTS (SELECT 1 FROM scheduler_trigger t WHERE t.job_key = j.key AND ${pendingTriggerSql("t")})
         OR EXISTS (SELECT 1 FROM scheduler_invocation i WHERE i.job_key = j.key AND i.state = ANY($2::"InvocationState"[]))`,
    [live.map((j) => j.key), ACTIVE_INVOCATION_STATES])).rows.map((r) => r.key));

  /** The job rows' new state, in lock order. */
  const updates: TickedJob[] = [];
  const starts: { job: JobRow; trigger: TickTrigger; timer: FiringTimer; log: TriageLog; update: TickedJob }[] = [];
  const queued: TickTrigger[] = [];
  const tickAt = ticker(now.getTime());
  for (const job of live) {
    const timer = byTimer.get(job.tick_timer_id!)!;
    const r = tickAt({ nextTickAt: job.next_tick_at?.getTime() ?? null, lastSlotAt: job.last_slot_at?.getTime() ?? null }, job.definition.schedule, job.key);
    const update: TickedJob = {
      key: job.key, next: r.state.nextTickAt === null ? null : new Date(r.state.nextTickAt),
      last: r.state.lastSlotAt === null ? null : new Date(r.state.lastSlotAt), log: null, triage: false,
    };
    updates.push(update);
    if (!r.trigger) continue; // early (clocks disagree) or nothing to fire: the tick service arms or fires it again
    const trigger = tickTrigger(job.key, r.trigger);
    if (!busy.has(job.key) && job.triage_requested_at === null && r.earlier.length === 0) {
      // quiet: the triage outcome is known here, so this timer triages the job itself
      const log = new TriageLog(t0);
      log.say(`tick timer fired for slot ${trigger.slot}: trigger ${trigger.id}`);
      const pending = [{ id: trigger.id, triggerId: trigger.id, createdAt: now.getTime(), emittedBy: "cron", properties: tickProperties(trigger) }];
      const d = decideTriage({ policy: job.definition.policy, blocked: null, pending, active: 0, now: now.getTime() }, log);
      if (d.requests.length === 1 && d.discard.length === 0) {
        starts.push({ job, trigger, timer, log, update }); // the log is written once the invocation has its id
        continue;
      }
    }
    queued.push(...r.earlier.map((e) => tickTrigger(job.key, e)), trigger);
    update.triage = true;
  }

  const started = new Map<string, StartedInvocation>();
  if (starts.length > 0) {
    const stamp = logStamp(now);
    const rows = starts.map((s): NewInvocation => {
      const properties = tickProperties(s.trigger);
      return {
        jobKey: s.job.key, state: "RUNNING", revision: s.job.revision, task: s.job.definition.task, triggeredBy: "cron",
        incoming: [{ id: s.trigger.id, title: s.trigger.title, url: null, createdAt: now.getTime(), emittedBy: "cron", properties, tags: [] }],
        properties: { slot: s.trigger.slot }, tags: [], timerJobId: s.timer.timerId, consumes: [],
        arrived: [{ id: s.trigger.id, title: s.trigger.title, properties }],
        log: `${stamp}invocation created by the tick timer with 1 trigger(s); config revision ${s.job.revision}\n${stamp}launching the task\n`,
        reason: `tick timer: slot ${s.trigger.slot}`,
      };
    });
    const ids = await createInvocations(sql, now, rows, actor);
    starts.forEach((s, i) => {
      const row = rows[i]!;
      started.set(s.timer.timerId, { id: ids[i]!, job_key: row.jobKey, task: row.task, incoming_triggers: row.incoming });
      s.log.say(startedLine(ids[i]!, [s.trigger.id]));
      s.update.log = s.log.done().join("\n");
    });
  }
  // A tick its invocation consumed on arrival leaves no trigger row: the invocation's incoming triggers and
  // its created event record it, and the job row (locked, its next tick advanced) keeps a slot from firing twice.
  await recordTickTriggers(sql, now, queued);
  await advanceTickedJobs(sql, now, updates);
  return timers.map((t) => started.get(t.timerId) ?? null);
}
