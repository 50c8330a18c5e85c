import type { Caller, EngineContext } from "../../context.ts";
import { HourglassError } from "../../errors.ts";
import type { QueueAdmin } from "../../queue/admin.ts";
import { enqueueJobs } from "../../queue/sql/enqueueJobs.ts";
import { withTransaction } from "../../transaction.ts";
import { MAX_ATTEMPTS } from "../backoff.ts";
import type { DeliveryState } from "../kinds.ts";
import type { CreateRuleInput, RuleDefinition } from "../schemas.ts";
import { ALERTS_QUEUE, DELIVERY_HANDLER, encodeDelivery, JOB_ATTEMPTS } from "./carrier.ts";
import { ruleInfo, ruleWrite, type AlertRuleInfo } from "./rule-info.ts";
import { deleteRule } from "./sql/delete-rule.ts";
import { deliveryPage, type DeliveryRow } from "./sql/delivery-page.ts";
import { insertRule } from "./sql/insert-rule.ts";
import { insertTestDelivery } from "./sql/insert-test-delivery.ts";
import { ruleProject, selectRules } from "./sql/select-rules.ts";
import { updateRule } from "./sql/update-rule.ts";

/** One notification as the dashboard's delivery history shows it. */
export interface DeliveryInfo {
  id: string;
  test: boolean;
  state: DeliveryState;
  /** Firings collapsed into it. */
  count: number;
  firstFiredAtMillis: number | null;
  lastFiredAtMillis: number | null;
  /** When its window closes (or closed) and it is (was) sent. */
  sendAtMillis: number;
  channel: string | null;
  attempts: number;
  maxAttempts: number;
  nextAttemptAtMillis: number | null;
  /** The last attempt's HTTP status or SMTP reply code. */
  lastStatus: number | null;
  lastError: string | null;
  attemptLog: { attempt: number; at: string; ok: boolean; status: number | null; error: string | null; durationMs: number }[];
  /** The first firings (at most 20) as the notification lists them. */
  firings: unknown[];
  deliveredAtMillis: number | null;
  createdAtMillis: number;
}

export interface DeliveryPage {
  deliveries: DeliveryInfo[];
  /** Pass as `before` for older ones; null when this page is the last. */
  next: string | null;
}

const notFound = (id: string) => new HourglassError("ALERT_RULE_NOT_FOUND", `no such alert rule: ${id}`);
const ms = (d: Date | null) => d?.getTime() ?? null;

function deliveryInfo(r: DeliveryRow): DeliveryInfo {
  return {
    id: r.id, test: r.test, state: r.state as DeliveryState, count: r.count, firstFiredAtMillis: ms(r.first_fired_at),
    lastFiredAtMillis: ms(r.last_fired_at), sendAtMillis: r.send_at.getTime(), channel: r.channel_kind, attempts: r.attempts,
    maxAttempts: r.max_attempts, nextAttemptAtMillis: ms(r.next_attempt_at), lastStatus: r.last_status, lastError: r.last_error,
    attemptLog: r.attempt_log as DeliveryInfo["attemptLog"], firings: r.sample, deliveredAtMillis: ms(r.delivered_at),
    createdAtMillis: r.created_at.getTime(),
  };
}

/**
 * Alert rules and their deliveries (`engine.alerts`). Every write records
 * its event in the same statement; secrets are stored, never returned (reads
 * show SECRET_MASK). Access is the API's: these methods check nothing.
 */
export class Alerts {
  constructor(private readonly ctx: EngineContext, private readonly admin: QueueAdmin) {}

  /** The project of a rule, or null when there is none (for the access check). */
  projectOf(id: string): Promise<string | null> {
    return ruleProject(this.ctx.db.sql, id);
  }

  async list(project: string): Promise<AlertRuleInfo[]> {
    return (await selectRules(this.ctx.db.sql, { project })).map(ruleInfo);
  }

  async get(id: string): Promise<AlertRuleInfo> {
    const row = (await selectRules(this.ctx.db.sql, { id }))[0];
    if (!row) throw notFound(id);
    return ruleInfo(row);
  }

  async create(caller: Caller, input: CreateRuleInput): Promise<AlertRuleInfo> {
    const { rule, secrets } = ruleWrite(input);
    const missing = secrets.required.filter((name) => secrets.set[name] === undefined);
    if (missing.length > 0) throw secretMissing(missing[0]!);
    const id = await insertRule(this.ctx.db.sql, input.project, rule, secrets.set, this.ctx.clock.now(), caller.id);
    return this.get(id);
  }

  /** Replaces the rule's definition (its project stays); secrets left out or masked keep their stored values. */
  async update(caller: Caller, id: string, def: RuleDefinition): Promise<AlertRuleInfo> {
    const { rule, secrets } = ruleWrite(def);
    const r = await updateRule(this.ctx.db.sql, id, rule, secrets, this.ctx.clock.now(), caller.id);
    if (!r.found) throw notFound(id);
    if (!r.updated) throw secretMissing(secrets.required.find((n) => secrets.set[n] === undefined) ?? "webhookSecret");
    return this.get(id);
  }

  async delete(caller: Caller, id: string): Promise<{ deleted: boolean }> {
    if (!(await deleteRule(this.ctx.db.sql, id, this.ctx.clock.now(), caller.id))) throw notFound(id);
    return { deleted: true };
  }

  /** Queues a test notification on the rule's channel now (through the alerts queue, with its retries). */
  async sendTest(caller: Caller, id: string): Promise<DeliveryInfo> {
    await this.ensureQueue();
    const now = this.ctx.clock.now();
    const deliveryId = await withTransaction(this.ctx.db.pool, async (sql) => {
      const made = await insertTestDelivery(sql, id, now, MAX_ATTEMPTS, caller.id);
      if (made === null) return null;
      await enqueueJobs(sql, ALERTS_QUEUE, [{
        body: encodeDelivery({ deliveryId: made, attempt: 1 }), priority: 1, runAfter: null,
        attemptsAllowed: JOB_ATTEMPTS, customStatus: `alert test delivery ${made}`,
      }], now, caller.id);
      return made;
    });
    if (deliveryId === null) throw notFound(id);
    // the newest delivery before deliveryId + 1 is deliveryId itself
    const page = await deliveryPage(this.ctx.db.sql, id, (BigInt(deliveryId) + 1n).toString(), 1);
    return deliveryInfo(page[0]!);
  }

  /** The rule's deliveries, newest first; `next` continues with older ones. */
  async deliveries(id: string, page: { before?: string; limit: number }): Promise<DeliveryPage> {
    const rows = await deliveryPage(this.ctx.db.sql, id, page.before ?? null, page.limit + 1);
    const deliveries = rows.slice(0, page.limit).map(deliveryInfo);
    return { deliveries, next: rows.length > page.limit ? deliveries.at(-1)!.id : null };
  }

  /** Creates the internal alerts queue (idempotent): the evaluator, thresholds and sendTest enqueue on it. */
  async ensureQueue(): Promise<void> {
    await this.admin.createQueue({ id: "system:alerts" }, {
      name: ALERTS_QUEUE, claimTimeoutMillis: 60_000,
      executor: { kind: "handler", name: DELIVERY_HANDLER, retryDelayMillis: 5000 },
    });
  }
}

function secretMissing(name: string): HourglassError {
  const field = name === "webhookSecret" ? "channel.secret" : "channel.smtp.password";
  return new HourglassError("INVALID_ARGUMENT", `${field}: a webhook needs a signing secret (at least 16 characters)`, [
    { path: field, message: "a webhook needs a signing secret" },
  ]);
}
