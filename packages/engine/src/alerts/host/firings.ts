import type { Sql } from "@hourglass/db";
import { appendEvents } from "../../events/sql/appendEvents.ts";
import { enqueueJobs } from "../../queue/sql/enqueueJobs.ts";
import { MAX_ATTEMPTS } from "../backoff.ts";
import { collapse, detailOf, type WindowWrite } from "../collapse.ts";
import type { Firing } from "../match.ts";
import { ALERTS_QUEUE, encodeDelivery, JOB_ATTEMPTS } from "./carrier.ts";
import { joinWindows } from "./sql/join-windows.ts";
import { lockWindows, openWindowOf } from "./sql/lock-windows.ts";
import { openWindows } from "./sql/open-windows.ts";
import { setOpenDeliveries } from "./sql/set-open-deliveries.ts";

/**
 * Records firings on `sql`, the transaction of whatever caused them (the
 * evaluator's cursor move, the threshold pass's state change): each rule's
 * firings join or open collapse windows (collapse.ts), every new window gets
 * its delivery job on the alerts queue, due when the window closes, and
 * every firing its `fired` event. Returns how many firings were recorded
 * (those of rules deleted or disabled meanwhile are not).
 */
export async function recordFirings(sql: Sql, firings: Firing[], now: Date, actor: string): Promise<number> {
  if (firings.length === 0) return 0;
  const byRule = new Map<string, Firing[]>();
  for (const f of firings) {
    const list = byRule.get(f.ruleId);
    if (list) list.push(f);
    else byRule.set(f.ruleId, [f]);
  }
  const rows = await lockWindows(sql, [...byRule.keys()].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)));

  const joined: (WindowWrite & { id: string })[] = [];
  const opened: (WindowWrite & { ruleId: string; project: string })[] = [];
  /** Per rule: its open window after this, as an index into `opened`, the joined one's id, or none. */
  const pointers: { rule: string; open: number | string | null }[] = [];
  for (const row of rows) {
    const open = openWindowOf(row);
    const plan = collapse(open, byRule.get(row.rule_id)!.map((f) => detailOf(f.fact)), row.collapse_window_ms);
    if (plan.joined) joined.push(plan.joined);
    const first = opened.length;
    opened.push(...plan.opened.map((w) => ({ ...w, ruleId: row.rule_id, project: row.project })));
    const last = plan.opened.at(-1);
    if (last) pointers.push({ rule: row.rule_id, open: last.closed ? null : first + plan.opened.length - 1 });
    else if (plan.joined?.closed) pointers.push({ rule: row.rule_id, open: null });
  }

  await joinWindows(sql, joined, now);
  const inserted = await openWindows(sql, opened, now, MAX_ATTEMPTS);
  await setOpenDeliveries(sql, pointers.map((p) => ({
    rule: p.rule, open: typeof p.open === "number" ? inserted[p.open]!.id : p.open,
  })));
  await enqueueJobs(sql, ALERTS_QUEUE, inserted.map((d) => ({
    body: encodeDelivery({ deliveryId: d.id, attempt: 1 }), priority: 1, runAfter: d.send_at,
    attemptsAllowed: JOB_ATTEMPTS, customStatus: `alert delivery ${d.id}`,
  })), now, actor);

  const recorded = new Set(rows.map((r) => r.rule_id));
  const kept = firings.filter((f) => recorded.has(f.ruleId));
  await appendEvents(sql, kept.map((f) => ({
    at: now, project: f.fact.project, entityKind: "alert_rule" as const, entityId: f.ruleId, action: "fired", actor,
    reason: f.fact.text,
    payload: { kind: f.fact.kind, subject: f.fact.subject, target: f.fact.target, at: new Date(f.fact.at).toISOString() },
  })));
  return kept.length;
}
