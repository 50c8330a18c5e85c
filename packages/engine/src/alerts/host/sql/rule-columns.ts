/** What reads of alert_rule select (never `secrets`: only whether each secret is set). */
export const RULE_SELECT = `r.id::text AS id, r.project, r.name, r.kind, r.target, r.condition, r.channel,
  r.collapse_window_ms, r.enabled, r.created_at, r.created_by, r.updated_at, r.updated_by,
  r.secrets ? 'webhookSecret' AS has_webhook_secret, r.secrets ? 'smtpPassword' AS has_smtp_password`;

/** A rule's definition as its events carry it (the channel column holds no secret). */
export const ruleDefinitionJson = (r: string) => `jsonb_build_object('name', ${r}.name, 'kind', ${r}.kind,
  'target', ${r}.target, 'condition', ${r}.condition, 'channel', ${r}.channel,
  'collapseWindowMillis', ${r}.collapse_window_ms, 'enabled', ${r}.enabled)`;

export interface RuleRow {
  id: string;
  project: string;
  name: string;
  kind: string;
  target: string | null;
  condition: Record<string, number>;
  channel: Record<string, unknown>;
  collapse_window_ms: number;
  enabled: boolean;
  created_at: Date;
  created_by: string;
  updated_at: Date;
  updated_by: string;
  has_webhook_secret: boolean;
  has_smtp_password: boolean;
}

/** The values a write stores: the definition, secrets apart. */
export interface RuleWrite {
  name: string;
  kind: string;
  target: string | null;
  condition: Record<string, number>;
  channel: Record<string, unknown>;
  collapseWindowMs: number;
  enabled: boolean;
}
