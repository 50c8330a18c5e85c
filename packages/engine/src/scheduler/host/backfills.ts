import type { Sql } from "@hourglass/db";
import type { Caller, EngineContext } from "../../context.ts";
import { HourglassError } from "../../errors.ts";
import { enqueueJobs } from "../../queue/sql/enqueueJobs.ts";
import { withTransaction } from "../../transaction.ts";
import { backfillTriggerId, continuesAfter, type BackfillOverlap } from "../backfill-states.ts";
import type { JobDefinition } from "../catalog.ts";
import { formatDuration } from "../schedule.ts";
import { createBackfill } from "../sql/createBackfill.ts";
import { createInvocations, type NewInvocation } from "../sql/createInvocations.ts";
import { SCHEDULER_ACTOR } from "../sql/events.ts";
import { startBackfillSlots } from "../sql/startBackfillSlots.ts";
import { MAX_RANGE_SLOTS, slotsBetween } from "../slots.ts";
import { logLine } from "./debug-log.ts";
import { INVOCATIONS_QUEUE } from "./triage.ts";

export interface BackfillRequest {
  job: string;
  fromTimestampMillis: number;
  toTimestampMillis: number;
  overlap: BackfillOverlap;
  reason: string;
  /** Only say what it would do. */
  dryRun: boolean;
}

/** What a backfill runs (or would run): its slots, and those skipped because they already ran. */
export interface BackfillPlan {
  /** The backfill's id; null on a dry run. */
  backfillId: string | null;
  slots: number;
  skipped: number;
  /** Invocations started now: all of them (CONCURRENT), else the first. */
  started: number;
  firstSlotTimestampMillis: number;
  lastSlotTimestampMillis: number;
}

interface JobRow {
  key: string;
  definition: JobDefinition;
  revision: string;
  paused_at: Date | null;
  removed_at: Date | null;
}

/**
 * A backfill: the job runs once per cron slot of [from, to) (a past range),
 * each slot its own invocation with its own trigger, as the overlap choice
 * says (backfill-states.ts). In one transaction with the job row locked: the
 * backfill, its slots and the `backfilled` event, and the invocations that
 * start now (created by the caller, launched by workers like triage's).
 */
export async function runBackfill(ctx: EngineContext, caller: Caller, input: BackfillRequest): Promise<BackfillPlan> {
  const now = ctx.clock.now();
  const from = input.fromTimestampMillis;
  const to = input.toTimestampMillis;
  if (from >= to) throw new HourglassError("INVALID_ARGUMENT", "from must be before to");
  if (to > now.getTime()) {
    throw new HourglassError("INVALID_ARGUMENT", "a backfill covers the past: to must not be after now");
  }
  return withTransaction(ctx.db.pool, async (sql) => {
    const job = (await sql.query<JobRow>(
      `SELECT key, definition, revision, paused_at, removed_at FROM scheduler_job WHERE key = $1 FOR UPDATE`,
      [input.job])).rows[0];
    if (!job) throw new HourglassError("JOB_NOT_FOUND", `no such job: ${input.job}`);
    if (job.removed_at || job.definition.disabled) throw new HourglassError("CONFLICT", `job ${input.job} is disabled`);
    if (job.paused_at) throw new HourglassError("CONFLICT", `job ${input.job} is paused: resume it first`);
    const schedule = job.definition.schedule;
    if (schedule.kind !== "cron") {
      throw new HourglassError("INVALID_ARGUMENT", `job ${input.job} has no cron schedule, so no slots to backfill`);
    }
    const range = slotsBetween(schedule, from, to);
    if (range.more) {
      throw new HourglassError("INVALID_ARGUMENT",
        `the range holds more than ${MAX_RANGE_SLOTS} slots of "${schedule.expression}"; backfill a shorter one`);
    }
    if (range.slots.length === 0) {
      throw new HourglassError("INVALID_ARGUMENT",
        `no slot of "${schedule.expression}" (${schedule.timezone}) falls in the ${formatDuration(to - from)}`
        + ` from ${new Date(from).toISOString()}`);
    }
    const ran = input.overlap === "SKIP" ? await slotsThatRan(sql, job.key, range.slots, from) : new Set<number>();
    const run = range.slots.filter((s) => !ran.has(s));
    const startNow = input.overlap === "CONCURRENT" ? run : run.slice(0, 1);
    const plan: BackfillPlan = {
      backfillId: null, slots: range.slots.length, skipped: ran.size, started: startNow.length,
      firstSlotTimestampMillis: range.slots[0]!, lastSlotTimestampMillis: range.slots[range.slots.length - 1]!,
    };
    if (input.dryRun) return plan;
    plan.backfillId = await createBackfill(sql, now, {
      jobKey: job.key, from: new Date(from), to: new Date(to), overlap: input.overlap, createdBy: caller.id,
      reason: input.reason,
      slots: range.slots.map((at) => ({ at: new Date(at), state: ran.has(at) ? "SKIPPED" : "PENDING" })),
    });
    const first = startNow.map((slotAt) => ({ backfill: plan.backfillId!, slotAt }));
    await startSlots(sql, now, job, first, caller.id, caller.id);
    return plan;
  });
}

/**
 * The slots the job already ran: a cron trigger of the slot that an
 * invocation consumed, or an invocation whose properties name the slot (a
 * quiet job's tick timer, an earlier backfill). Invocations started before
 * the range cannot have run its slots.
 */
async function slotsThatRan(sql: Sql, jobKey: string, slots: number[], from: number): Promise<Set<number>> {
  const iso = slots.map((s) => new Date(s).toISOString());
  const r = await sql.query<{ slot: string }>(
    `SELECT substr(t.trigger_id, length($1) + 7) AS slot FROM scheduler_trigger t
      WHERE t.job_key = $1 AND t.trigger_id = ANY(SELECT 'cron:' || $1 || ':' || s FROM unnest($2::text[]) s)
        AND t.invocation_id IS NOT NULL
     UNION
     SELECT i.properties->>'slot' FROM scheduler_invocation i
      WHERE i.job_key = $1 AND i.started_at >= $3 AND i.properties->>'slot' = ANY($2::text[])`,
    [jobKey, iso, new Date(from)]);
  return new Set(r.rows.map((row) => Date.parse(row.slot)));
}

/**
 * Creates and queues one invocation per slot (STARTING, launched by a worker)
 * and marks the slots STARTED. `emittedBy` asked for the backfill (its slots'
 * triggers say so); `actor` creates the invocations now.
 */
async function startSlots(
  sql: Sql, now: Date, job: JobRow, slots: { backfill: string; slotAt: number }[], emittedBy: string, actor: string,
) {
  if (slots.length === 0) return;
  const rows = slots.map(({ backfill, slotAt }): NewInvocation => {
    const slot = new Date(slotAt).toISOString();
    const properties = { slot, backfill };
    return {
      jobKey: job.key, state: "STARTING", revision: job.revision, task: job.definition.task,
      triggeredBy: `backfill:${backfill}`,
      incoming: [{
        id: backfillTriggerId(backfill, slotAt), title: `backfill ${backfill}: slot ${slot}`, url: null,
        createdAt: now.getTime(), emittedBy, properties, tags: ["backfill"],
      }],
      properties, tags: ["backfill"], timerJobId: null, consumes: [], arrived: [],
      log: logLine(now, `invocation created by backfill ${backfill} for slot ${slot}; config revision ${job.revision}`),
      reason: `backfill ${backfill}: slot ${slot}`,
    };
  });
  const ids = await createInvocations(sql, now, rows, actor);
  await enqueueJobs(sql, INVOCATIONS_QUEUE, ids.map((id) => ({
    body: id, priority: 1, runAfter: null, attemptsAllowed: 5, customStatus: job.key,
  })), now, "scheduler");
  await startBackfillSlots(sql, slots.map((s, i) => ({
    backfill: s.backfill, slotAt: new Date(s.slotAt), invocation: ids[i]!,
  })));
}

/**
 * After invocations of backfills ended (in finishInTransaction, job rows
 * locked): a SEQUENTIAL or SKIP backfill whose invocation succeeded or failed
 * starts its next pending slot, unless its job is now paused, disabled or
 * removed (the backfill is then STOPPED). The backfill rows are locked in id
 * order, so a slot starts once.
 */
export async function continueBackfills(sql: Sql, now: Date, ended: { backfill: string; state: string }[]): Promise<void> {
  const ids = [...new Set(ended.map((e) => e.backfill))];
  const backfills = (await sql.query<{ id: string; overlap: BackfillOverlap }>(
    `SELECT id::text AS id, overlap FROM scheduler_backfill WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE`,
    [ids])).rows;
  const overlapOf = new Map(backfills.map((b) => [b.id, b.overlap]));
  const going = [...new Set(ended
    .filter((e) => continuesAfter(overlapOf.get(e.backfill) ?? "CONCURRENT", e.state))
    .map((e) => e.backfill))];
  if (going.length === 0) return;
  const next = (await sql.query<JobRow & { backfill: string; slot_at: Date; created_by: string }>(
    `SELECT b.id::text AS backfill, b.created_by, s.slot_at, j.key, j.definition, j.revision, j.paused_at, j.removed_at
       FROM scheduler_backfill b
       JOIN scheduler_job j ON j.key = b.job_key
       JOIN LATERAL (SELECT slot_at FROM scheduler_backfill_slot
                      WHERE backfill_id = b.id AND state = 'PENDING' ORDER BY slot_at LIMIT 1) s ON true
      WHERE b.id = ANY($1::bigint[])`, [going])).rows;
  const runnable = next.filter((n) => !n.paused_at && !n.removed_at && !n.definition.disabled);
  for (const n of runnable) {
    await startSlots(sql, now, n, [{ backfill: n.backfill, slotAt: n.slot_at.getTime() }], n.created_by, SCHEDULER_ACTOR);
  }
}
