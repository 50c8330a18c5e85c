import { isDeepStrictEqual } from "node:util";
import type { EngineContext } from "../../context.ts";
import { appendEvents } from "../../events/sql/appendEvents.ts";
import { withTransaction } from "../../transaction.ts";
import { THRESHOLD_KINDS, type ThresholdKind } from "../kinds.ts";
import { evaluateThreshold } from "../threshold.ts";
import { ALERTS_ACTOR } from "./evaluator.ts";
import { recordFirings } from "./firings.ts";
import { toMatchable } from "./rule-info.ts";
import { activeRules } from "./sql/active-rules.ts";
import { measureQueues } from "./sql/measure-queues.ts";
import { setThresholdState } from "./sql/set-threshold-state.ts";

/**
 * The periodic pass of threshold rules (queue backlog, oldest pending):
 * measure each rule's queues at the injected clock's now (outside any
 * transaction), decide (threshold.ts, pure), then write the new state with a
 * compare-and-set and record the firings in the same transaction. Returns
 * how many firings it recorded.
 */
export async function runThresholdsOnce(ctx: EngineContext): Promise<number> {
  const rules = await activeRules(ctx.db.sql, THRESHOLD_KINDS);
  let fired = 0;
  for (const row of rules) {
    const now = ctx.clock.now();
    const rule = { ...toMatchable(row), kind: row.kind as ThresholdKind };
    const cap = rule.kind === "queue_backlog" ? (rule.condition.backlog ?? 0) + 1 : 1;
    const measured = (await measureQueues(ctx.db.sql, rule.project, rule.target, now, cap)).map((m) => ({
      queue: m.name, backlog: m.backlog, oldestPendingMs: m.oldest === null ? null : now.getTime() - m.oldest.getTime(),
    }));
    const outcome = evaluateThreshold(rule, measured, row.threshold_state, now.getTime());
    if (isDeepStrictEqual(outcome.state, row.threshold_state)) continue;
    fired += await withTransaction(ctx.db.pool, async (tx) => {
      if (!(await setThresholdState(tx, row.id, row.threshold_state, outcome.state))) return 0;
      await appendEvents(tx, outcome.cleared.map((queue) => ({
        at: now, project: rule.project, entityKind: "alert_rule" as const, entityId: rule.id, action: "cleared",
        actor: ALERTS_ACTOR, reason: `queue ${queue} is back within the limit`, payload: { queue },
      })));
      return recordFirings(tx, outcome.fired.map((fact) => ({ ruleId: rule.id, fact })), now, ALERTS_ACTOR);
    }, { retryDeadlocks: true });
  }
  return fired;
}
