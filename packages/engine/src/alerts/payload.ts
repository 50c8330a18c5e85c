import type { FiringDetail } from "./collapse.ts";
import { ALERT_KIND_DOC, ALERT_TARGET, type AlertKind } from "./kinds.ts";
import type { AlertCondition } from "./schemas.ts";

/** What a notification says about its rule. */
export interface NotificationRule {
  id: string;
  name: string;
  project: string;
  kind: AlertKind;
  target: string | null;
  condition: AlertCondition;
  collapseWindowMillis: number;
}

/** What a notification says about its window. */
export interface NotificationWindow {
  deliveryId: string;
  test: boolean;
  count: number;
  firstFiredAt: number | null;
  lastFiredAt: number | null;
  sample: FiringDetail[];
}

/**
 * The JSON body of a webhook notification (and the data of an email). Fixed
 * when the window closes, so every retry sends the same bytes; `sentAt` is
 * the close, signed with the rest.
 */
export interface NotificationBody {
  type: "hourglass.alert" | "hourglass.alert.test";
  deliveryId: string;
  rule: { id: string; name: string; project: string; kind: AlertKind; target: string | null; condition: AlertCondition };
  /** How many firings this one notification stands for (the collapse window's count; 0 for a test). */
  count: number;
  summary: string;
  firstFiredAt: string | null;
  lastFiredAt: string | null;
  collapseWindowMillis: number;
  /** The first firings in full (at most SAMPLE_LIMIT); `omitted` counts the rest. */
  firings: { at: string; subject: { kind: string; id: string }; target: string; text: string; data: FiringDetail["data"] }[];
  omitted: number;
  sentAt: string;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The notification for a closed window (or a test) at `sentAt`. */
export function buildNotification(rule: NotificationRule, w: NotificationWindow, sentAt: number): NotificationBody {
  return {
    type: w.test ? "hourglass.alert.test" : "hourglass.alert",
    deliveryId: w.deliveryId,
    rule: { id: rule.id, name: rule.name, project: rule.project, kind: rule.kind, target: rule.target, condition: rule.condition },
    count: w.count,
    summary: summarize(rule, w),
    firstFiredAt: iso(w.firstFiredAt),
    lastFiredAt: iso(w.lastFiredAt),
    collapseWindowMillis: rule.collapseWindowMillis,
    firings: w.sample.map((f) => ({
      at: new Date(f.at).toISOString(), subject: f.subject, target: f.target, text: f.text, data: f.data,
    })),
    omitted: Math.max(0, w.count - w.sample.length),
    sentAt: new Date(sentAt).toISOString(),
  };
}

/** One line: what happened, how often, where. */
export function summarize(rule: NotificationRule, w: NotificationWindow): string {
  if (w.test) return `Test notification of alert rule "${rule.name}" (project ${rule.project})`;
  const where = rule.target === null
    ? `project ${rule.project}`
    : `${ALERT_TARGET[rule.kind]} ${rule.target} of project ${rule.project}`;
  if (w.count === 1 && w.sample[0]) return `${rule.name}: ${w.sample[0].text}`;
  const targets = [...new Set(w.sample.map((f) => f.target))];
  const more = targets.length > 5 ? ", …" : "";
  const spread = rule.target === null && targets.length > 0 ? ` (${targets.slice(0, 5).join(", ")}${more})` : "";
  const span = w.firstFiredAt !== null && w.lastFiredAt !== null ? ` within ${duration(w.lastFiredAt - w.firstFiredAt)}` : "";
  return `${rule.name}: fired ${w.count} times${span} in ${where}${spread}`;
}

function duration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** An email of the notification: subject and plain text (the JSON body is attached as text too). */
export function emailOf(body: NotificationBody, dashboardUrl: string | null): { subject: string; text: string } {
  const lines = [
    body.summary,
    "",
    `Rule: ${body.rule.name} (${body.rule.kind}: ${ALERT_KIND_DOC[body.rule.kind]})`,
    `Project: ${body.rule.project}${body.rule.target === null ? "" : `, ${ALERT_TARGET[body.rule.kind]} ${body.rule.target}`}`,
  ];
  if (body.type === "hourglass.alert") {
    lines.push(`Firings: ${body.count}, from ${body.firstFiredAt} to ${body.lastFiredAt}`, "");
    for (const f of body.firings) lines.push(`- ${f.at}  ${f.text}`);
    if (body.omitted > 0) lines.push(`- … and ${body.omitted} more`);
  }
  if (dashboardUrl) lines.push("", `Alerts of the project: ${dashboardUrl.replace(/\/$/, "")}/alerts/${body.rule.project}`);
  lines.push("", `Delivery ${body.deliveryId}, sent ${body.sentAt} by Hourglass.`);
  const subject = `[Hourglass] ${body.summary}`;
  return { subject: subject.length > 200 ? `${subject.slice(0, 197)}…` : subject, text: lines.join("\n") };
}
