import type { EngineContext } from "../../context.ts";
import { formatCursor, parseCursor } from "../../events/cursor.ts";
import { systemActor } from "../../events/kinds.ts";
import type { EventLog } from "../../events/log.ts";
import type { EventInfo } from "../../events/types.ts";
import { withTransaction } from "../../transaction.ts";
import { factsOf, recordNeeded, type AlertFact } from "../facts.ts";
import { ALERT_KINDS, isThresholdKind } from "../kinds.ts";
import { fire } from "../match.ts";
import { recordFirings } from "./firings.ts";
import { toMatchable } from "./rule-info.ts";
import { activeRules } from "./sql/active-rules.ts";
import { advanceConsumer, consumerCursor, placeConsumer } from "./sql/event-consumer.ts";
import { invocationRecords, requestRecords } from "./sql/fact-records.ts";

/** The evaluator's row in event_consumer. */
export const ALERTS_CONSUMER = "alerts";
/** Events read per pass. */
export const FOLLOW_BATCH = 500;
/** What the evaluator's writes are recorded as. */
export const ALERTS_ACTOR = systemActor("alerts");

const EVENT_KINDS = ALERT_KINDS.filter((k) => !isThresholdKind(k));

/**
 * Follows the event log for the event kinds of alert rules. A pass reads up
 * to FOLLOW_BATCH events after the consumer's stored cursor (the log's final
 * (tx, id) order: nothing commits behind a cursor, so resuming loses
 * nothing), turns them into facts (looking up the invocations and requests
 * they are about), matches the enabled rules, and in one transaction moves
 * the cursor (guarded: another worker's pass over the same events writes
 * nothing) and records the firings with their delivery jobs. A first pass
 * starts at the log's end: rules do not fire on history. With no enabled
 * rule of an event kind, a pass moves the cursor to the log's end unread.
 */
export class AlertEvaluator {
  constructor(private readonly ctx: EngineContext, private readonly events: EventLog) {}

  /** One pass; returns how many events it handled (FOLLOW_BATCH: there may be more). */
  async runOnce(): Promise<number> {
    const sql = this.ctx.db.sql;
    let cursor = await consumerCursor(sql, ALERTS_CONSUMER);
    if (cursor === null) {
      await placeConsumer(sql, ALERTS_CONSUMER, formatCursor(await this.events.end()), this.ctx.clock.now());
      cursor = (await consumerCursor(sql, ALERTS_CONSUMER))!;
    }
    // the end is read before the rules: a rule created before an event up to it committed is seen below
    const end = await this.events.end();
    const rules = (await activeRules(sql, EVENT_KINDS)).map(toMatchable);
    if (rules.length === 0) {
      // nothing could fire: skip to the end without reading the events (a queue drain writes thousands a second)
      const at = parseCursor(cursor)!;
      if (end.tx > at.tx || (end.tx === at.tx && end.id > at.id)) {
        await advanceConsumer(sql, ALERTS_CONSUMER, cursor, formatCursor(end), this.ctx.clock.now());
      }
      return 0;
    }
    const batch = await this.events.follow(cursor, FOLLOW_BATCH);
    if (batch.length === 0) return 0;
    const facts = await this.factsOf(batch);
    const firings = fire(rules, facts);
    const now = this.ctx.clock.now();
    const moved = await withTransaction(this.ctx.db.pool, async (tx) => {
      if (!(await advanceConsumer(tx, ALERTS_CONSUMER, cursor, batch.at(-1)!.cursor, now))) return false;
      await recordFirings(tx, firings, now, ALERTS_ACTOR);
      return true;
    }, { retryDeadlocks: true });
    return moved ? batch.length : 0;
  }

  /** Runs passes until the log is drained (or `stopped` says so). */
  async drain(stopped: () => boolean = () => false): Promise<void> {
    while ((await this.runOnce()) === FOLLOW_BATCH && !stopped());
  }

  private async factsOf(batch: EventInfo[]): Promise<AlertFact[]> {
    const needs = batch.map(recordNeeded);
    const sql = this.ctx.db.sql;
    const [invocations, requests] = await Promise.all([
      invocationRecords(sql, needs.flatMap((n) => (n && "invocation" in n ? [n.invocation] : []))),
      requestRecords(sql, needs.flatMap((n) => (n && "request" in n ? [n.request] : []))),
    ]);
    return batch.flatMap((e, i) => {
      const need = needs[i];
      if (!need) return [];
      if ("invocation" in need) return factsOf(e, { invocation: invocations.get(need.invocation) });
      return factsOf(e, { request: requests.get(need.request) });
    });
  }
}
