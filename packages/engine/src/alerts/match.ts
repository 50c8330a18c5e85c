import type { AlertFact } from "./facts.ts";
import type { AlertKind } from "./kinds.ts";
import type { AlertCondition } from "./schemas.ts";

/** What matching needs of a rule. */
export interface MatchableRule {
  id: string;
  project: string;
  kind: AlertKind;
  target: string | null;
  condition: AlertCondition;
  enabled: boolean;
}

/** A rule that fired on a fact. */
export interface Firing {
  ruleId: string;
  fact: AlertFact;
}

/** Whether `rule` fires on `fact`: same kind and project, its target (or every one), and its condition holds. */
export function matches(rule: MatchableRule, fact: AlertFact): boolean {
  if (!rule.enabled || rule.kind !== fact.kind || rule.project !== fact.project) return false;
  if (rule.target !== null && rule.target !== fact.target) return false;
  return conditionHolds(rule, fact);
}

function conditionHolds(rule: MatchableRule, fact: AlertFact): boolean {
  const n = (key: string) => (typeof fact.data[key] === "number" ? (fact.data[key] as number) : 0);
  switch (rule.kind) {
    case "schedule_late":
      return n("skippedSlots") > 0 || n("lateMs") > (rule.condition.lateMillis ?? Infinity);
    case "queue_backlog":
      return n("backlog") > (rule.condition.backlog ?? Infinity);
    case "queue_oldest_pending":
      return n("oldestPendingMs") > (rule.condition.oldestPendingMillis ?? Infinity);
    default:
      return true;
  }
}

/** Every firing of `rules` on `facts`, in the facts' order. */
export function fire(rules: MatchableRule[], facts: AlertFact[]): Firing[] {
  const out: Firing[] = [];
  for (const fact of facts) for (const rule of rules) if (matches(rule, fact)) out.push({ ruleId: rule.id, fact });
  return out;
}
