/**
 * Alert rules as the API takes them, validated with zod. A rule belongs to a
 * project, watches one kind of thing (kinds.ts) for one target or for every
 * one of the project, and notifies one channel: a webhook or email.
 */
import { z } from "zod";
import { bigintIdString } from "../bounds.ts";
import { SECRET_MASK } from "../executors/secrets.ts";
import { COUNT_CAP } from "../queue/schemas.ts";
import { ALERT_KINDS, ALERT_TARGET, type AlertKind } from "./kinds.ts";

export { SECRET_MASK };

/** Repeated firings within this long of the first collapse into one notification (per rule; 0 = none). */
export const DEFAULT_COLLAPSE_WINDOW_MS = 5 * 60_000;
export const MAX_COLLAPSE_WINDOW_MS = 24 * 3600_000;
export const MAX_EMAIL_RECIPIENTS = 20;
/** A webhook's signing secret is at least this long, so the signature means something. */
export const MIN_SECRET_LENGTH = 16;

const project = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, "a project is 1-100 letters, digits, _ or -");

/** What a target of each kind looks like (a scheduler job id, a queue name, a request type). */
const TARGET_SHAPE: Record<(typeof ALERT_TARGET)[AlertKind], { pattern: RegExp; message: string }> = {
  job: {
    pattern: /^[a-z0-9][a-z0-9_-]{0,99}$/,
    message: "a job is named by its id within the project (lowercase letters, digits, _ and -)",
  },
  queue: { pattern: /^[A-Za-z0-9_]{1,64}$/, message: "a queue name is 1-64 letters, digits and underscores" },
  "request type": {
    pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/,
    message: "a request type is letters, digits, '_', '.' and '-' (at most 100)",
  },
};

/** Kind-specific limits; each kind needs exactly its own (see CONDITION_FIELDS). */
export const conditionSchema = z.object({
  /** schedule_late: a slot's invocation starting more than this long after the slot fires (a missed slot always does). */
  lateMillis: z.int().min(1000, "lateMillis is at least 1000 (ticks within a second are on time)").max(7 * 24 * 3600_000).optional(),
  /** queue_backlog: more than this many due PENDING jobs fires (counted up to the limit + 1, so bounded like every count). */
  backlog: z.int().min(0).max(COUNT_CAP, `backlog is at most ${COUNT_CAP}`).optional(),
  /** queue_oldest_pending: the oldest due PENDING job waiting longer than this fires. */
  oldestPendingMillis: z.int().min(1000).max(30 * 24 * 3600_000).optional(),
});
export type AlertCondition = z.infer<typeof conditionSchema>;

export const CONDITION_FIELDS: Record<AlertKind, (keyof AlertCondition)[]> = {
  invocation_failed: [],
  job_recovered: [],
  schedule_late: ["lateMillis"],
  queue_backlog: ["backlog"],
  queue_oldest_pending: ["oldestPendingMillis"],
  request_failed: [],
};

/** A secret being written: a new value, or SECRET_MASK (as reads show it) to keep the stored one. */
const secret = (what: string) => z.string().max(500, `${what} is at most 500 characters`);

const webhookChannel = z.object({
  kind: z.literal("webhook"),
  url: z.url({ protocol: /^https?$/, error: "url must be an http:// or https:// URL" }).max(2000),
  /** Signs each body (X-Hourglass-Signature); write-only. Required when the rule gets a webhook. */
  secret: secret("secret")
    .refine((v) => v === SECRET_MASK || v.length >= MIN_SECRET_LENGTH, `secret is at least ${MIN_SECRET_LENGTH} characters`)
    .optional(),
});

const email = z.email("not an email address").max(320);

/** An SMTP server of the rule's own, instead of the worker's (HOURGLASS_SMTP_URL). */
const smtpServer = z.object({
  host: z.string().min(1).max(255).regex(/^[A-Za-z0-9.:[\]-]+$/, "host is a host name or an IP address"),
  port: z.int().min(1).max(65535).default(587),
  /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
  secure: z.boolean().default(false),
  username: z.string().max(320).optional(),
  /** Write-only. */
  password: secret("password").optional(),
});

const emailChannel = z.object({
  kind: z.literal("email"),
  to: z.array(email).min(1, "name at least one recipient").max(MAX_EMAIL_RECIPIENTS, `at most ${MAX_EMAIL_RECIPIENTS} recipients`),
  /** Sender; default the worker's HOURGLASS_ALERT_FROM. */
  from: email.optional(),
  smtp: smtpServer.optional(),
});

export const channelSchema = z.discriminatedUnion("kind", [webhookChannel, emailChannel]);
export type ChannelInput = z.infer<typeof channelSchema>;

const ruleFields = z.object({
  name: z.string().trim().min(1, "name is empty").max(200),
  kind: z.enum(ALERT_KINDS),
  /** The job id, queue or request type watched; null or absent = every one of the project. */
  target: z.string().max(200).nullable().default(null),
  condition: conditionSchema.default({}),
  channel: channelSchema,
  collapseWindowMillis: z.int().min(0).max(MAX_COLLAPSE_WINDOW_MS).default(DEFAULT_COLLAPSE_WINDOW_MS),
  enabled: z.boolean().default(true),
});

/** Checks what depends on the kind: the target's shape and the condition's fields. */
function checkKind(rule: z.infer<typeof ruleFields>, ctx: z.RefinementCtx): void {
  const shape = TARGET_SHAPE[ALERT_TARGET[rule.kind]];
  if (rule.target !== null && !shape.pattern.test(rule.target)) {
    ctx.addIssue({ code: "custom", path: ["target"], message: shape.message });
  }
  const wanted = CONDITION_FIELDS[rule.kind];
  for (const field of wanted) {
    if (rule.condition[field] === undefined) {
      ctx.addIssue({ code: "custom", path: ["condition", field], message: `a ${rule.kind} rule needs condition.${field}` });
    }
  }
  for (const field of Object.keys(rule.condition) as (keyof AlertCondition)[]) {
    if (rule.condition[field] !== undefined && !wanted.includes(field)) {
      ctx.addIssue({ code: "custom", path: ["condition", field], message: `a ${rule.kind} rule has no condition.${field}` });
    }
  }
}

/** A rule's definition, as create takes it and update replaces it (secrets: see SECRET_MASK). */
export const ruleDefinition = ruleFields.superRefine(checkKind);
export type RuleDefinition = z.infer<typeof ruleDefinition>;

const ruleId = bigintIdString("a rule id is an integer from 1 to 9223372036854775807");

export const listRulesInput = z.object({ project });
export const ruleIdInput = z.object({ id: ruleId });
export const createRuleInput = ruleFields.extend({ project }).superRefine(checkKind);
/** Replaces the rule's definition; its project stays. A secret left out, or sent as SECRET_MASK, keeps the stored one. */
export const updateRuleInput = z.object({ id: ruleId, rule: ruleDefinition });
export const deliveriesInput = z.object({
  id: ruleId,
  /** The `next` of the previous page: older deliveries than this id. */
  before: bigintIdString("before is a delivery id the previous page returned").optional(),
  limit: z.int().min(1).max(100).default(25),
});

export type CreateRuleInput = z.infer<typeof createRuleInput>;
