import type { EngineContext } from "../../context.ts";
import { enqueueJobs } from "../../queue/sql/enqueueJobs.ts";
import { withTransaction } from "../../transaction.ts";
import type { ExecutionInput, ExecutionResult } from "../../executors/types.ts";
import { retryDelay } from "../backoff.ts";
import type { AlertKind } from "../kinds.ts";
import { buildNotification, emailOf, type NotificationBody } from "../payload.ts";
import { ALERTS_QUEUE, decodeDelivery, encodeDelivery, JOB_ATTEMPTS } from "./carrier.ts";
import { sendMail, type RuleSmtp, type SmtpSettings } from "./email.ts";
import { closeWindow } from "./sql/close-window.ts";
import { deliveryForAttempt, type DeliveryWithRule } from "./sql/delivery-for-attempt.ts";
import { recordAttempt } from "./sql/record-attempt.ts";
import { postWebhook, type ChannelResult } from "./webhook.ts";

export interface DeliveryOptions {
  smtp: SmtpSettings;
  /** The dashboard's URL, for links in mail; null = none. */
  dashboardUrl: string | null;
  /** Recorded as the actor of delivery events ("worker:<id>"). */
  actor: string;
}

/**
 * The handler of the alerts queue: one job is one attempt of one delivery.
 * First, in a transaction holding the rule's and the delivery's locks, it
 * closes the window (if still open) and fixes the body every attempt sends.
 * Then it sends, outside any transaction. Then, in a second transaction, it
 * records the outcome (guarded on the attempt count: a job that runs twice
 * records once) and, after a failure with attempts left, queues the next
 * attempt after its backoff. A stale job (the attempt already recorded, the
 * rule deleted) does nothing. The job itself succeeds whatever the channel
 * answered; the delivery keeps that.
 */
export async function deliverAttempt(
  ctx: EngineContext, o: DeliveryOptions, job: ExecutionInput, signal: AbortSignal,
): Promise<ExecutionResult> {
  const carried = decodeDelivery(job.body);
  if (!carried) return { succeeded: false, error: `not an alert delivery job: ${job.body.slice(0, 200)}` };
  const { deliveryId, attempt } = carried;
  const ready = await withTransaction(ctx.db.pool, async (sql) => {
    const d = await deliveryForAttempt(sql, deliveryId);
    if (!d || (d.state !== "COLLECTING" && d.state !== "SENDING") || d.attempts !== attempt - 1) return null;
    d.payload ??= await closeWindow(sql, d.id, notificationOf(d, ctx.clock.now()), String(d.channel.kind), ctx.clock.now());
    if (d.payload === null) throw new Error(`delivery ${d.id}: its body could not be fixed`);
    return d;
  }, { retryDeadlocks: true });
  if (!ready) return { succeeded: true, stdout: `delivery ${deliveryId}: attempt ${attempt} has nothing to do` };

  const startedAt = performance.now();
  const result = await send(ctx, o, ready, attempt, signal);
  const durationMs = Math.round(performance.now() - startedAt);
  const now = ctx.clock.now();
  const delay = result.ok ? null : retryDelay(attempt, ready.max_attempts);
  const next = delay === null ? null : new Date(now.getTime() + delay);
  const state = await withTransaction(ctx.db.pool, async (sql) => {
    const outcome = { attempt, at: now, ok: result.ok, status: result.status, error: result.error, durationMs };
    const s = await recordAttempt(sql, deliveryId, outcome, next, o.actor);
    if (s === "SENDING" && next) {
      await enqueueJobs(sql, ALERTS_QUEUE, [{
        body: encodeDelivery({ deliveryId, attempt: attempt + 1 }), priority: 1, runAfter: next,
        attemptsAllowed: JOB_ATTEMPTS, customStatus: `alert delivery ${deliveryId}, attempt ${attempt + 1}`,
      }], now, o.actor);
    }
    return s;
  }, { retryDeadlocks: true });
  if (state !== null) {
    ctx.metrics.alertDeliveries.inc({ outcome: result.ok ? "delivered" : next ? "retried" : "failed" });
  }
  const then = next ? `; next attempt at ${next.toISOString()}` : "; no attempts left";
  const said = result.ok ? `delivered (${result.status})` : `failed: ${result.error}${then}`;
  return { succeeded: true, stdout: `delivery ${deliveryId}, attempt ${attempt}: ${said}` };
}

function notificationOf(d: DeliveryWithRule, now: Date): NotificationBody {
  return buildNotification(
    {
      id: d.rule_id, name: d.rule_name, project: d.project, kind: d.kind as AlertKind, target: d.target,
      condition: d.condition, collapseWindowMillis: d.collapse_window_ms,
    },
    {
      deliveryId: d.id, test: d.test, count: d.count, firstFiredAt: d.first_fired_at?.getTime() ?? null,
      lastFiredAt: d.last_fired_at?.getTime() ?? null, sample: d.sample,
    },
    now.getTime(),
  );
}

/** One attempt on the rule's channel as it is now (a rule edited since the window closed sends to its new channel). */
async function send(
  ctx: EngineContext, o: DeliveryOptions, d: DeliveryWithRule, attempt: number, signal: AbortSignal,
): Promise<ChannelResult> {
  const rawBody = d.payload!;
  const channel = d.channel as { kind: string; url?: string; to?: string[]; from?: string; smtp?: Omit<RuleSmtp, "password"> };
  if (channel.kind === "webhook") {
    const secret = d.secrets.webhookSecret;
    if (!secret) return { ok: false, status: null, error: "the rule has no signing secret" };
    return postWebhook({ url: channel.url!, secret, rawBody, deliveryId: d.id, attempt, now: ctx.clock.now(), signal });
  }
  const body = JSON.parse(rawBody) as NotificationBody;
  const mail = emailOf(body, o.dashboardUrl);
  return sendMail({
    settings: o.smtp,
    server: channel.smtp && { ...channel.smtp, password: d.secrets.smtpPassword },
    from: channel.from,
    to: channel.to ?? [],
    subject: mail.subject,
    text: mail.text,
    json: JSON.stringify(body, null, 2),
    deliveryId: d.id,
  });
}
