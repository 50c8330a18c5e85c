/**
 * The alert rule form's values and what a submit sends (pure; unit-tested in
 * apps/web/test). The server validates everything again and its messages are
 * shown as they are. Secrets are write-only: the form never has a stored
 * one; an empty secret field on an edit sends the mask, which keeps it.
 */
import { CONDITION_FIELDS, SECRET_MASK, type AlertKind, type AlertRuleInfo, type RuleDefinition } from "@hourglass/engine/alerts";

export interface AlertFormState {
  name: string;
  kind: AlertKind;
  /** Empty = every job / queue / request type of the project. */
  target: string;
  /** schedule_late, in seconds. */
  lateSeconds: string;
  backlog: string;
  /** queue_oldest_pending, in seconds. */
  oldestPendingSeconds: string;
  channel: "webhook" | "email";
  url: string;
  /** A new signing secret; empty on an edit = keep the stored one. */
  secret: string;
  /** Recipients, separated by commas or new lines. */
  to: string;
  from: string;
  ownSmtp: boolean;
  smtpHost: string;
  smtpPort: string;
  smtpSecure: boolean;
  smtpUsername: string;
  /** A new SMTP password; empty on an edit = keep the stored one. */
  smtpPassword: string;
  /** Minutes; 0 = every firing is sent alone, at once. */
  windowMinutes: string;
  enabled: boolean;
}

/** A submit the form cannot send: which field and why. */
export class AlertFormError extends Error {}

const secondsOf = (ms: number | undefined) => (ms === undefined ? "" : String(ms / 1000));

export function formFromRule(rule?: AlertRuleInfo): AlertFormState {
  const c = rule?.channel;
  const smtp = c?.kind === "email" ? c.smtp : undefined;
  return {
    name: rule?.name ?? "",
    kind: rule?.kind ?? "invocation_failed",
    target: rule?.target ?? "",
    lateSeconds: secondsOf(rule?.condition.lateMillis) || "60",
    backlog: rule?.condition.backlog === undefined ? "1000" : String(rule.condition.backlog),
    oldestPendingSeconds: secondsOf(rule?.condition.oldestPendingMillis) || "600",
    channel: c?.kind ?? "webhook",
    url: c?.kind === "webhook" ? c.url : "",
    secret: "",
    to: c?.kind === "email" ? c.to.join(", ") : "",
    from: c?.kind === "email" ? (c.from ?? "") : "",
    ownSmtp: smtp !== undefined,
    smtpHost: smtp?.host ?? "",
    smtpPort: String(smtp?.port ?? 587),
    smtpSecure: smtp?.secure ?? false,
    smtpUsername: smtp?.username ?? "",
    smtpPassword: "",
    windowMinutes: String((rule?.collapseWindowMillis ?? 300_000) / 60_000),
    enabled: rule?.enabled ?? true,
  };
}

function number(text: string, what: string, scale = 1): number {
  const n = Number(text.trim());
  if (text.trim() === "" || !Number.isFinite(n) || n < 0) throw new AlertFormError(`${what} must be a number of 0 or more`);
  return Math.round(n * scale);
}

/** The rule definition a submit sends (create adds the project; update sends it as `rule`). */
export function ruleFromForm(f: AlertFormState, editing: boolean): RuleDefinition {
  const condition: RuleDefinition["condition"] = {};
  const fields = CONDITION_FIELDS[f.kind];
  if (fields.includes("lateMillis")) condition.lateMillis = number(f.lateSeconds, "Late by more than", 1000);
  if (fields.includes("backlog")) condition.backlog = number(f.backlog, "Backlog over");
  if (fields.includes("oldestPendingMillis")) condition.oldestPendingMillis = number(f.oldestPendingSeconds, "Oldest pending over", 1000);
  const keepOr = (value: string) => (value === "" ? (editing ? SECRET_MASK : undefined) : value);
  let channel: RuleDefinition["channel"];
  if (f.channel === "webhook") {
    channel = { kind: "webhook", url: f.url.trim(), ...(keepOr(f.secret) !== undefined && { secret: keepOr(f.secret) }) };
  } else {
    const to = f.to.split(/[,\n]/).map((s) => s.trim()).filter(Boolean);
    const password = keepOr(f.smtpPassword);
    channel = {
      kind: "email", to, ...(f.from.trim() && { from: f.from.trim() }),
      ...(f.ownSmtp && {
        smtp: {
          host: f.smtpHost.trim(), port: number(f.smtpPort, "SMTP port"), secure: f.smtpSecure,
          ...(f.smtpUsername.trim() && { username: f.smtpUsername.trim() }), ...(password !== undefined && { password }),
        },
      }),
    };
  }
  return {
    name: f.name, kind: f.kind, target: f.target.trim() === "" ? null : f.target.trim(), condition, channel,
    collapseWindowMillis: number(f.windowMinutes, "Collapse window", 60_000), enabled: f.enabled,
  };
}

/** What a rule watches, in words: "invocation failed of job nightly", "backlog over 1000 in every queue". */
export function describeRule(r: Pick<AlertRuleInfo, "kind" | "target" | "condition">): string {
  const every = { job: "every job", queue: "every queue", "request type": "every request type" };
  const what = {
    invocation_failed: "an invocation failed",
    job_recovered: "a job recovered",
    schedule_late: `a slot missed or over ${(r.condition.lateMillis ?? 0) / 1000} s late`,
    queue_backlog: `backlog over ${r.condition.backlog ?? 0}`,
    queue_oldest_pending: `oldest pending over ${(r.condition.oldestPendingMillis ?? 0) / 1000} s`,
    request_failed: "a request failed",
  }[r.kind];
  const kind = r.kind.startsWith("queue_") ? "queue" : r.kind === "request_failed" ? "request type" : "job";
  return `${what} · ${r.target === null ? every[kind] : `${kind} ${r.target}`}`;
}
