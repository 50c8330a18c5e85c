import type { EventInfo } from "../events/types.ts";
import type { AlertKind } from "./kinds.ts";

/**
 * What a rule can fire on, in the terms rules speak: one per matching event
 * (or per threshold crossing). `target` is what a rule's target names — a job
 * id of the project, a queue, a request type — and `subject` the entity a
 * person opens to look (an invocation, a request, a queue).
 */
export interface AlertFact {
  kind: AlertKind;
  project: string;
  target: string;
  at: number;
  subject: { kind: string; id: string };
  /** One line for people: "invocation 42 of demo/nightly FAILED". */
  text: string;
  /** Kind-specific numbers conditions look at (lateMs, skippedSlots, backlog, oldestPendingMs) and details for receivers. */
  data: Record<string, string | number | boolean | null>;
}

/** A scheduler invocation as the evaluator looks it up for an event about it. */
export interface InvocationRecord {
  id: string;
  jobKey: string;
  /** The outcome of the job's invocation that finished last before this one (SUCCEEDED / FAILED), or null. */
  previousOutcome: string | null;
  /** Its incoming triggers (cron ones carry `properties.late_ms` and `skipped_slots` when late). */
  incomingTriggers: unknown;
}

export interface RequestRecord {
  id: string;
  type: string;
  project: string;
}

export interface FactRecords {
  invocation?: InvocationRecord;
  request?: RequestRecord;
}

/** Which record an event needs looked up before factsOf can read it; null when no rule could fire on it. */
export function recordNeeded(e: EventInfo): { invocation: string } | { request: string } | null {
  if (e.entityKind === "invocation" && (e.to === "FAILED" || e.to === "SUCCEEDED" || (e.from === null && e.to !== null))) {
    return { invocation: e.entityId };
  }
  if (e.entityKind === "request" && e.to === "FAIL") return { request: e.entityId };
  return null;
}

/**
 * The facts of one event of the log. Invocations: ended FAILED; ended
 * SUCCEEDED after one that FAILED (recovered); came to exist (no from state)
 * with a cron trigger that fired late or passed over missed slots. Requests:
 * ended FAIL. Everything else is no fact.
 */
export function factsOf(e: EventInfo, records: FactRecords): AlertFact[] {
  if (e.entityKind === "invocation" && records.invocation) return invocationFacts(e, records.invocation);
  if (e.entityKind === "request" && e.to === "FAIL") {
    const type = records.request?.type ?? (typeof e.payload?.type === "string" ? e.payload.type : null);
    if (type === null) return [];
    return [{
      kind: "request_failed", project: e.project, target: type, at: e.atTimestampMillis,
      subject: { kind: "request", id: e.entityId },
      text: `request ${e.entityId} (${type}) failed${e.reason ? `: ${e.reason}` : ""}`,
      data: { requestId: e.entityId, requestType: type, from: e.from },
    }];
  }
  return [];
}

function invocationFacts(e: EventInfo, inv: InvocationRecord): AlertFact[] {
  const slash = inv.jobKey.indexOf("/");
  if (slash <= 0) return [];
  const project = inv.jobKey.slice(0, slash);
  const job = inv.jobKey.slice(slash + 1);
  const base = { project, target: job, at: e.atTimestampMillis, subject: { kind: "invocation", id: inv.id } };
  const data = { jobKey: inv.jobKey, invocationId: inv.id };
  if (e.to === "FAILED") {
    const why = e.reason ? `: ${e.reason}` : "";
    return [{ ...base, kind: "invocation_failed", text: `invocation ${inv.id} of ${inv.jobKey} failed${why}`, data }];
  }
  if (e.to === "SUCCEEDED") {
    if (inv.previousOutcome !== "FAILED") return [];
    const text = `${inv.jobKey} recovered: invocation ${inv.id} succeeded after a failure`;
    return [{ ...base, kind: "job_recovered", text, data }];
  }
  if (e.from !== null) return [];
  return lateTicks(inv.incomingTriggers).map((t) => ({
    ...base,
    kind: "schedule_late" as const,
    text: t.skippedSlots > 0
      ? `${inv.jobKey}: ${t.skippedSlots} slot(s) before ${t.slot} were missed; `
        + `invocation ${inv.id} caught up ${t.lateMs} ms late`
      : `${inv.jobKey}: the slot ${t.slot} started ${t.lateMs} ms late (invocation ${inv.id})`,
    data: { ...data, slot: t.slot, lateMs: t.lateMs, skippedSlots: t.skippedSlots },
  }));
}

/** The cron triggers of an invocation that say they fired late (see scheduler/host/tick-timers.ts tickTrigger). */
function lateTicks(incoming: unknown): { slot: string; lateMs: number; skippedSlots: number }[] {
  if (!Array.isArray(incoming)) return [];
  const out: { slot: string; lateMs: number; skippedSlots: number }[] = [];
  for (const t of incoming as { emittedBy?: unknown; properties?: Record<string, unknown> }[]) {
    const p = t?.properties;
    if (t?.emittedBy !== "cron" || !p || typeof p.late_ms !== "number") continue;
    const skipped = typeof p.skipped_slots === "number" ? p.skipped_slots : 0;
    out.push({ slot: typeof p.slot === "string" ? p.slot : "?", lateMs: p.late_ms, skippedSlots: skipped });
  }
  return out;
}
