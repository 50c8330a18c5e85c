import { SECRET_MASK } from "../../executors/secrets.ts";
import type { AlertKind, DeliveryState } from "../kinds.ts";
import type { MatchableRule } from "../match.ts";
import type { AlertCondition, ChannelInput, RuleDefinition } from "../schemas.ts";
import type { ActiveRuleRow } from "./sql/active-rules.ts";
import type { RuleRow, RuleWrite } from "./sql/rule-columns.ts";
import type { LastDeliveryRow } from "./sql/select-rules.ts";

/** A channel as the API shows it: each secret that is set reads SECRET_MASK, never its value. */
export type ChannelInfo =
  | { kind: "webhook"; url: string; secret?: string }
  | { kind: "email"; to: string[]; from?: string; smtp?: SmtpInfo };

/** A rule's own SMTP server as the API shows it (`password` is SECRET_MASK when set). */
export interface SmtpInfo {
  host: string;
  port: number;
  secure: boolean;
  username?: string;
  password?: string;
}

/** An alert rule as the API returns it. */
export interface AlertRuleInfo {
  id: string;
  project: string;
  name: string;
  kind: AlertKind;
  target: string | null;
  condition: AlertCondition;
  channel: ChannelInfo;
  collapseWindowMillis: number;
  enabled: boolean;
  createdAtMillis: number;
  createdBy: string;
  updatedAtMillis: number;
  updatedBy: string;
  /** Its newest notification, if any. */
  lastDelivery: { id: string; state: DeliveryState; count: number; atMillis: number; test: boolean } | null;
}

export function ruleInfo(row: RuleRow & LastDeliveryRow): AlertRuleInfo {
  return {
    id: row.id,
    project: row.project,
    name: row.name,
    kind: row.kind as AlertKind,
    target: row.target,
    condition: row.condition,
    channel: maskedChannel(row),
    collapseWindowMillis: row.collapse_window_ms,
    enabled: row.enabled,
    createdAtMillis: row.created_at.getTime(),
    createdBy: row.created_by,
    updatedAtMillis: row.updated_at.getTime(),
    updatedBy: row.updated_by,
    lastDelivery: row.last_delivery_id === null ? null : {
      id: row.last_delivery_id, state: row.last_delivery_state as DeliveryState, count: row.last_delivery_count!,
      atMillis: row.last_delivery_at!.getTime(), test: row.last_delivery_test!,
    },
  };
}

function maskedChannel(row: RuleRow): ChannelInfo {
  const c = row.channel as ChannelInfo;
  if (c.kind === "webhook") return { ...c, ...(row.has_webhook_secret && { secret: SECRET_MASK }) };
  if (c.smtp) return { ...c, smtp: { ...c.smtp, ...(row.has_smtp_password && { password: SECRET_MASK }) } };
  return c;
}

/** What matching needs of a stored rule. */
export function toMatchable(row: ActiveRuleRow): MatchableRule {
  return {
    id: row.id, project: row.project, kind: row.kind as AlertKind, target: row.target, condition: row.condition, enabled: true,
  };
}

/**
 * A definition split for storage: the channel without secrets, and the
 * secrets — `set` (new values), `keep` (names whose stored value stays: left
 * out, or sent back as SECRET_MASK) and `required` (what the channel cannot
 * work without).
 */
export interface SecretWrite {
  set: Record<string, string>;
  keep: string[];
  required: string[];
}

export function ruleWrite(def: RuleDefinition): { rule: RuleWrite; secrets: SecretWrite } {
  const set: Record<string, string> = {};
  const keep: string[] = [];
  const required: string[] = [];
  let channel: Record<string, unknown>;
  const c: ChannelInput = def.channel;
  const take = (name: string, value: string | undefined) => {
    if (value === undefined || value === SECRET_MASK) keep.push(name);
    else set[name] = value;
  };
  if (c.kind === "webhook") {
    channel = { kind: "webhook", url: c.url };
    take("webhookSecret", c.secret);
    required.push("webhookSecret");
  } else {
    const { password, ...smtp } = c.smtp ?? { password: undefined };
    channel = { kind: "email", to: c.to, ...(c.from && { from: c.from }), ...(c.smtp && { smtp }) };
    if (c.smtp) take("smtpPassword", password);
  }
  const condition: Record<string, number> = {};
  for (const [k, v] of Object.entries(def.condition)) if (v !== undefined) condition[k] = v;
  return {
    rule: {
      name: def.name, kind: def.kind, target: def.target, condition, channel,
      collapseWindowMs: def.collapseWindowMillis, enabled: def.enabled,
    },
    secrets: { set, keep, required },
  };
}
