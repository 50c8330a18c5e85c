import type { EngineContext } from "../../context.ts";
import { withTransaction } from "../../transaction.ts";
import type { JobDefinition } from "../catalog.ts";
import { disarm, ticker, type tick } from "../cron-machine.ts";
import { advanceTickedJobs, type TickedJob } from "../sql/advanceTickedJobs.ts";
import { armTimers, ARM_AHEAD_MS, LOST_TIMER_MS, recordTickTriggers, tickTrigger, type TickTrigger } from "./tick-timers.ts";
import { INVOCATIONS_QUEUE } from "./triage.ts";

export const TICK_BATCH = 1000;

type TickRow = { key: string; definition: JobDefinition; next_tick_at: Date; last_slot_at: Date | null };

/**
 * One pass of the tick service, in one transaction over up to TICK_BATCH
 * jobs (rows locked SKIP LOCKED, so several workers share the work). A job
 * whose next tick is less than ARM_AHEAD_MS away gets a tick timer (see
 * tick-timers.ts), which fires it on time. A job already due without one (the
 * service was down, or the timer was lost) ticks here: the cron machine runs,
 * the trigger is recorded and triage is asked for. A tick's trigger id comes
 * from its schedule slot (ON CONFLICT DO NOTHING), so workers ticking at once
 * produce one trigger per slot. Returns how many unarmed jobs were due or
 * near, and how many of them fired here.
 */
export async function runTicksOnce(ctx: EngineContext): Promise<{ due: number; fired: number }> {
  const now = ctx.clock.now();
  return withTransaction(ctx.db.pool, async (sql) => {
    const near = await sql.query<TickRow>(
      `SELECT key, definition, next_tick_at, last_slot_at FROM scheduler_job
        WHERE tick_timer_id IS NULL AND next_tick_at <= $1 AND removed_at IS NULL AND paused_at IS NULL
        ORDER BY next_tick_at LIMIT ${TICK_BATCH} FOR UPDATE SKIP LOCKED`,
      [new Date(now.getTime() + ARM_AHEAD_MS)],
    );
    const lost = await sql.query<TickRow>(
      `SELECT key, definition, next_tick_at, last_slot_at FROM scheduler_job
        WHERE tick_timer_id IS NOT NULL AND next_tick_at <= $1 AND removed_at IS NULL AND paused_at IS NULL
        ORDER BY next_tick_at LIMIT ${TICK_BATCH} FOR UPDATE SKIP LOCKED`,
      [new Date(now.getTime() - LOST_TIMER_MS)],
    );
    const due = [...near.rows.filter((r) => r.next_tick_at <= now), ...lost.rows];
    await armTimers(sql, INVOCATIONS_QUEUE, now, near.rows.filter((r) => r.next_tick_at > now).map((r) => ({ key: r.key, nextTickAt: r.next_tick_at })));
    if (due.length === 0) return { due: near.rows.length, fired: 0 };
    const ticked: TickedJob[] = [];
    const triggers: TickTrigger[] = [];
    const tickAt = ticker(now.getTime());
    for (const row of due) {
      const state = { nextTickAt: row.next_tick_at.getTime(), lastSlotAt: row.last_slot_at?.getTime() ?? null };
      const schedule = row.definition.schedule;
      let r: ReturnType<typeof tick> = { state: disarm(state), trigger: null, earlier: [] };
      if (!row.definition.disabled) r = tickAt(state, schedule, row.key);
      ticked.push({
        key: row.key, next: r.state.nextTickAt === null ? null : new Date(r.state.nextTickAt),
        last: r.state.lastSlotAt === null ? null : new Date(r.state.lastSlotAt), log: null, triage: r.trigger !== null,
      });
      // a catch-up window's earlier slots first: triage takes pending triggers oldest first
      if (r.trigger) triggers.push(...r.earlier.map((e) => tickTrigger(row.key, e)), tickTrigger(row.key, r.trigger));
    }
    await advanceTickedJobs(sql, now, ticked);
    await recordTickTriggers(sql, now, triggers);
    return { due: near.rows.length, fired: triggers.length };
  });
}
