import type { EngineContext } from "../../context.ts";
import { withTransaction } from "../../transaction.ts";
import type { JobDefinition } from "../catalog.ts";
import { disarm, tick, tickTriggerId } from "../cron-machine.ts";

export const TICK_BATCH = 1000;

/**
 * One pass of the tick service: every job whose next tick is due runs the
 * cron machine inside one transaction. Rows are locked (SKIP LOCKED), and a
 * tick's trigger id comes from its schedule slot (ON CONFLICT DO NOTHING), so
 * several workers ticking at once produce one trigger per slot. Returns how
 * many jobs were due and how many of them fired.
 */
export async function runTicksOnce(ctx: EngineContext): Promise<{ due: number; fired: number }> {
  const now = ctx.clock.now();
  return withTransaction(ctx.db.pool, async (sql) => {
    const due = await sql.query<{ key: string; definition: JobDefinition; next_tick_at: Date; last_slot_at: Date | null }>(
      `SELECT key, definition, next_tick_at, last_slot_at FROM scheduler_job
        WHERE next_tick_at <= $1 AND removed_at IS NULL AND paused_at IS NULL
        ORDER BY next_tick_at LIMIT ${TICK_BATCH} FOR UPDATE SKIP LOCKED`,
      [now],
    );
    if (due.rows.length === 0) return { due: 0, fired: 0 };
    const keys: string[] = [], next: (Date | null)[] = [], last: (Date | null)[] = [], fired: boolean[] = [];
    const tKeys: string[] = [], tIds: string[] = [], tTitles: string[] = [], tSlots: string[] = [];
    // Jobs on one schedule in one state tick alike (a minute's 10,000 "* * * * *" jobs):
    // the cron machine runs once per distinct case; only the trigger id names the job.
    const alike = new Map<string, ReturnType<typeof tick>>();
    for (const row of due.rows) {
      const state = { nextTickAt: row.next_tick_at.getTime(), lastSlotAt: row.last_slot_at?.getTime() ?? null };
      const schedule = row.definition.schedule;
      let r: ReturnType<typeof tick> = { state: disarm(state), trigger: null };
      if (!row.definition.disabled) {
        const caseKey = JSON.stringify([schedule, state.nextTickAt, state.lastSlotAt]);
        if (!alike.has(caseKey)) alike.set(caseKey, tick(state, schedule, now.getTime(), ""));
        const shared = alike.get(caseKey)!;
        r = { state: shared.state, trigger: shared.trigger && { ...shared.trigger, id: tickTriggerId(schedule, row.key, shared.trigger.slotAt) } };
      }
      keys.push(row.key);
      next.push(r.state.nextTickAt === null ? null : new Date(r.state.nextTickAt));
      last.push(r.state.lastSlotAt === null ? null : new Date(r.state.lastSlotAt));
      fired.push(r.trigger !== null);
      if (r.trigger) {
        tKeys.push(row.key);
        tIds.push(r.trigger.id);
        tTitles.push(r.trigger.title);
        tSlots.push(new Date(r.trigger.slotAt).toISOString());
      }
    }
    await sql.query(
      `UPDATE scheduler_job j SET next_tick_at = u.next, last_slot_at = u.last, updated_at = $1,
              triage_requested_at = CASE WHEN u.fired THEN $1::timestamptz ELSE j.triage_requested_at END
         FROM unnest($2::text[], $3::timestamptz[], $4::timestamptz[], $5::bool[]) AS u(key, next, last, fired)
        WHERE j.key = u.key`,
      [now, keys, next, last, fired],
    );
    if (tKeys.length > 0) {
      await sql.query(
        `INSERT INTO scheduler_trigger (job_key, trigger_id, title, created_at, emitted_by, properties)
         SELECT k, id, title, $1, 'cron', jsonb_build_object('slot', slot)
           FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS t(k, id, title, slot)
         ON CONFLICT (job_key, trigger_id) DO NOTHING`,
        [now, tKeys, tIds, tTitles, tSlots],
      );
    }
    return { due: due.rows.length, fired: tKeys.length };
  });
}
