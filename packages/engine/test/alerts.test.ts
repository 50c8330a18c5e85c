// Alerts on real PostgreSQL with a real worker (createWorker with its alert
// part), an injected clock, a webhook receiver (node http) that checks every
// signature, and an SMTP server (smtp-server) that receives the mail. Events
// reach the evaluator through the event log only: invocations and requests
// are written here as their state machines write them (scheduler/sql/
// createInvocations.ts and finishInvocations.ts, chains/sql/*), their rows
// and their events in one transaction.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECRET_MASK } from "../src/alerts/schemas.ts";
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from "../src/alerts/signing.ts";
import { appendEvents } from "../src/events/sql/appendEvents.ts";
import { syncCatalog } from "../src/scheduler/host/catalog-sync.ts";
import { createTestEngine, ManualClock, type TestEngine } from "../src/testing.ts";
import { withTransaction } from "../src/transaction.ts";
import { createWorker, type HourglassWorker } from "../src/worker/index.ts";
import { until } from "./helpers.ts";

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const SECRET = "whsec-alerts-test-0123456789";
const clock = new ManualClock(T0);
let t: TestEngine;
let worker: HourglassWorker;
const dir = mkdtempSync(join(tmpdir(), "hourglass-alerts-"));

/** A webhook receiver: records each request (signature checked with SECRET) and answers with the next status queued. */
class Receiver {
  readonly calls: { path: string; body: string; signed: boolean; timestamp: string; delivery: string; attempt: string }[] = [];
  statuses: number[] = [];
  private server!: Server;
  url = "";

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        this.calls.push({
          path: req.url ?? "", body, signed: verifySignature(SECRET, body, req.headers[SIGNATURE_HEADER.toLowerCase()] as string),
          timestamp: String(req.headers[TIMESTAMP_HEADER.toLowerCase()]), delivery: String(req.headers[DELIVERY_HEADER.toLowerCase()]),
          attempt: String(req.headers["x-hourglass-attempt"]),
        });
        const status = this.statuses.shift() ?? 200;
        res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok" : "receiver is down");
      });
    });
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  callsTo(path: string) {
    return this.calls.filter((c) => c.path === path);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

const hook = new Receiver();
const mails: { user: string | null; from: string; to: string[]; raw: string }[] = [];
let smtp: SMTPServer;
let smtpPort = 0;

beforeAll(async () => {
  t = await createTestEngine({ clock });
  const jobs = ["nightly", "flaky", "storm", "mailer", "a", "b"].map((id) => `  - id: ${id}\n    schedule: triggered\n    task: { kind: noop }\n`);
  writeFileSync(join(dir, "demo.yaml"), `jobs:\n${jobs.join("")}`);
  writeFileSync(join(dir, "kinds.yaml"), `jobs:\n${jobs.join("")}`);
  await syncCatalog(t.engine.ctx, dir);
  await hook.start();
  smtp = new SMTPServer({
    authOptional: true, allowInsecureAuth: true, disabledCommands: ["STARTTLS"], logger: false,
    onAuth: (auth, _session, done) => {
      const ok = (auth.username === "alerts" && auth.password === "smtp-pass") || (auth.username === "rule-user" && auth.password === "rule-pass");
      done(ok ? null : new Error("bad credentials"), ok ? { user: auth.username } : undefined);
    },
    onData: (stream, session, done) => {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push({
          user: (session.user as string | undefined) ?? null, from: String(session.envelope.mailFrom && session.envelope.mailFrom.address),
          to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8"),
        });
        done();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", () => r()));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  worker = createWorker(t.engine, {
    workerId: "alerts-test", pollIntervalMs: 20, maintenanceIntervalMs: 1000,
    alerts: {
      intervalMs: 20, thresholdIntervalMs: 30, dashboardUrl: "https://hourglass.example",
      smtp: { url: `smtp://alerts:smtp-pass@127.0.0.1:${smtpPort}`, from: "hourglass@example.test" },
    },
  });
  await worker.start();
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await hook.stop();
  await new Promise<void>((r) => smtp.close(() => r()));
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

let invocationIds = 0;

/** An invocation of `jobKey` that came to exist (and ended in `end`, if given), written as the scheduler writes one. */
async function invocation(jobKey: string, end: "SUCCEEDED" | "FAILED" | null, incoming: unknown[] = []): Promise<string> {
  const now = clock.now();
  const project = jobKey.split("/")[0]!;
  return withTransaction(t.db.pool, async (sql) => {
    const id = (await sql.query<{ id: string }>(
      `INSERT INTO scheduler_invocation (job_key, state, revision, task, triggered_by, incoming_triggers, started_at, finished_at)
       VALUES ($1, $2, 'r1', '{"kind":"noop"}', 'test', $3::jsonb, $4, $5) RETURNING id::text AS id`,
      [jobKey, end ?? "RUNNING", JSON.stringify(incoming), now, end ? now : null])).rows[0]!.id;
    invocationIds++;
    await appendEvents(sql, [
      { at: now, project, entityKind: "invocation", entityId: id, action: "created", from: null, to: "RUNNING", actor: "system:scheduler", payload: { job: jobKey } },
      ...(end ? [{ at: now, project, entityKind: "invocation" as const, entityId: id, action: end.toLowerCase(), from: "RUNNING", to: end,
        reason: end === "FAILED" ? "exited with code 3" : "", actor: "worker:w1", payload: { job: jobKey } }] : []),
    ]);
    return id;
  });
}

/** A request of `type` in `project` that ended in `state`, written as the chains write one. */
async function request(project: string, type: string, state: "FAIL" | "COMPLETE"): Promise<string> {
  const id = `r${Math.random().toString(36).slice(2, 12)}`;
  const now = clock.now();
  await withTransaction(t.db.pool, async (sql) => {
    await sql.query(
      `INSERT INTO request (id, type, project, state, "user", args, created_at, started_at, finished_at, total_jobs, spec_revision)
       VALUES ($1, $2, $3, $4, 'user:alice', '{}', $5, $5, $5, 1, 'r1')`, [id, type, project, state, now]);
    await appendEvents(sql, [{ at: now, project, entityKind: "request", entityId: id, action: state === "FAIL" ? "failed" : "completed",
      from: "RUNNING", to: state, reason: state === "FAIL" ? "a job failed with no retries left" : "every job completed", actor: "worker:w1" }]);
  });
  return id;
}

const webhook = (path: string) => ({ kind: "webhook" as const, url: `${hook.url}${path}`, secret: SECRET });

async function deliveries(ruleId: string) {
  return (await t.api.alerts.deliveries({ id: ruleId })).deliveries;
}

async function firedCount(ruleId: string): Promise<number> {
  const r = await t.db.sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM event_log WHERE entity_kind = 'alert_rule' AND entity_id = $1 AND action = 'fired'`, [ruleId]);
  return r.rows[0]!.n;
}

/** Waits until the evaluator has read the log to its end (so what did not fire will not). */
async function evaluated(): Promise<void> {
  const end = await t.engine.events.end();
  await until(async () => {
    const r = await t.db.sql.query<{ cursor: string }>(`SELECT cursor FROM event_consumer WHERE consumer = 'alerts'`);
    const [tx, id] = (r.rows[0]?.cursor ?? "0.0").split(".").map(BigInt) as [bigint, bigint];
    return tx > end.tx || (tx === end.tx && id >= end.id);
  }, "the evaluator to reach the end of the log");
}

describe("webhook delivery", () => {
  it("a failed invocation is delivered signed; a 500 is retried after its backoff through the alerts queue, then delivered", async () => {
    const rule = await t.api.alerts.create({
      project: "demo", name: "flaky failing", kind: "invocation_failed", target: "flaky", channel: webhook("/flaky"), collapseWindowMillis: 0,
    });
    expect(rule.channel).toEqual({ kind: "webhook", url: `${hook.url}/flaky`, secret: SECRET_MASK });
    hook.statuses.push(500);
    const sentAt = clock.now().getTime();
    await invocation("demo/flaky", "FAILED");

    const first = (await until(async () => (await deliveries(rule.id)).find((d) => d.attempts === 1), "the first attempt"))!;
    expect(first).toMatchObject({ state: "SENDING", count: 1, lastStatus: 500, lastError: "HTTP 500: receiver is down", nextAttemptAtMillis: sentAt + 10_000 });
    expect(hook.callsTo("/flaky")).toHaveLength(1);
    // the second attempt is a queue job due after the backoff: nothing happens until the clock gets there
    const retry = await t.db.sql.query<{ run_after: Date }>(
      `SELECT run_after FROM queue_job WHERE queue_name = 'hourglass_alerts' AND state = 'PENDING' AND body LIKE '%"attempt":2%'`);
    expect(retry.rows.map((r) => r.run_after.getTime())).toEqual([sentAt + 10_000]);
    clock.advance(10_000);

    const done = (await until(async () => (await deliveries(rule.id)).find((d) => d.state === "DELIVERED"), "the delivery"))!;
    expect(done).toMatchObject({ attempts: 2, lastStatus: 200, lastError: null, channel: "webhook" });
    expect(done.attemptLog.map((a) => [a.attempt, a.ok, a.status])).toEqual([[1, false, 500], [2, true, 200]]);
    const calls = hook.callsTo("/flaky");
    expect(calls).toHaveLength(2);
    expect(calls.every((c) => c.signed)).toBe(true);
    expect(calls[1]!.body).toBe(calls[0]!.body); // one body, fixed when the window closed
    expect(calls.map((c) => [c.delivery, c.attempt, c.timestamp])).toEqual([
      [done.id, "1", String(sentAt / 1000)], [done.id, "2", String(sentAt / 1000 + 10)],
    ]);
    const body = JSON.parse(calls[0]!.body);
    expect(body).toMatchObject({
      type: "hourglass.alert", deliveryId: done.id, count: 1, rule: { id: rule.id, kind: "invocation_failed", target: "flaky" },
      firings: [{ subject: { kind: "invocation" }, text: expect.stringMatching(/^invocation \d+ of demo\/flaky failed: exited with code 3$/) }],
    });
    const history = await t.engine.events.history("alert_rule", rule.id);
    expect(history.events.map((e) => e.action)).toEqual(["created", "fired", "delivery_retrying", "delivered"]);
  });

  it("gives up after the last attempt and records every one", async () => {
    const rule = await t.api.alerts.create({
      project: "demo", name: "nightly failing", kind: "invocation_failed", target: "nightly", channel: webhook("/down"), collapseWindowMillis: 0,
    });
    hook.statuses.push(...Array.from({ length: 8 }, () => 503));
    await invocation("demo/nightly", "FAILED");
    for (let attempt = 1; attempt <= 8; attempt++) {
      await until(async () => (await deliveries(rule.id))[0]?.attempts === attempt, `attempt ${attempt}`);
      clock.advance(3_600_000);
    }
    const [d] = await deliveries(rule.id);
    expect(d).toMatchObject({ state: "FAILED", attempts: 8, lastStatus: 503, nextAttemptAtMillis: null });
    expect(hook.callsTo("/down")).toHaveLength(8);
    expect((await t.engine.events.history("alert_rule", rule.id)).events.at(-1)).toMatchObject({ action: "delivery_failed" });
  }, 60_000);
});

describe("rules", () => {
  it("a webhook needs a signing secret; an update that leaves it out keeps it, one that changes the channel drops it", async () => {
    const noSecret = await t.mutate("alerts.create", {
      project: "demo", name: "x", kind: "invocation_failed", channel: { kind: "webhook", url: `${hook.url}/x` },
    });
    expect([noSecret.status, noSecret.error.message]).toEqual([400, expect.stringMatching(/^channel\.secret: a webhook needs a signing secret/)]);
    const rule = await t.api.alerts.create({ project: "demo", name: "kept", kind: "invocation_failed", channel: webhook("/kept") });
    const renamed = await t.api.alerts.update({ id: rule.id, rule: { name: "renamed", kind: "invocation_failed", channel: { kind: "webhook", url: `${hook.url}/kept` } } });
    expect(renamed).toMatchObject({ name: "renamed", channel: { secret: SECRET_MASK } });
    const secrets = async () => (await t.db.sql.query(`SELECT secrets FROM alert_rule WHERE id = $1`, [rule.id])).rows[0].secrets;
    expect(await secrets()).toEqual({ webhookSecret: SECRET });
    await t.api.alerts.update({ id: rule.id, rule: { name: "mail", kind: "invocation_failed", channel: { kind: "email", to: ["a@example.test"] } } });
    expect(await secrets()).toEqual({});
    // back to a webhook, the old secret is gone: it must be given again
    const back = await t.mutate("alerts.update", { id: rule.id, rule: { name: "hook", kind: "invocation_failed", channel: { kind: "webhook", url: `${hook.url}/x` } } });
    expect(back.status).toBe(400);
    const history = await t.engine.events.history("alert_rule", rule.id);
    expect(history.events.map((e) => [e.action, e.actor])).toEqual([["created", "test"], ["updated", "test"], ["updated", "test"]]);
    expect(JSON.stringify(history.events)).not.toContain(SECRET);
    await t.api.alerts.delete({ id: rule.id });
    expect((await t.mutate("alerts.delete", { id: rule.id })).error.data.errorCode).toBe("ALERT_RULE_NOT_FOUND");
  });
});

describe("no storm", () => {
  it("10 failures within the window are one notification that says 10, sent when the window closes", async () => {
    const rule = await t.api.alerts.create({ project: "demo", name: "storm", kind: "invocation_failed", target: "storm", channel: webhook("/storm") });
    expect(rule.collapseWindowMillis).toBe(300_000);
    const opened = clock.now().getTime();
    for (let i = 0; i < 10; i++) {
      await invocation("demo/storm", "FAILED");
      clock.advance(20_000);
    }
    const collecting = (await until(async () => (await deliveries(rule.id)).find((d) => d.count === 10), "10 firings in one window"))!;
    expect(collecting).toMatchObject({ state: "COLLECTING", sendAtMillis: opened + 300_000, attempts: 0 });
    expect(await deliveries(rule.id)).toHaveLength(1);
    expect(hook.callsTo("/storm")).toHaveLength(0);

    clock.set(opened + 300_000);
    const sent = (await until(async () => (await deliveries(rule.id)).find((d) => d.state === "DELIVERED"), "the window's notification"))!;
    expect(sent.count).toBe(10);
    const calls = hook.callsTo("/storm");
    expect(calls).toHaveLength(1);
    const body = JSON.parse(calls[0]!.body);
    expect(body).toMatchObject({ count: 10, omitted: 0, firstFiredAt: new Date(opened).toISOString() });
    expect(body.summary).toBe("storm: fired 10 times within 3 min in job storm of project demo");
    expect(body.firings).toHaveLength(10);

    // the next failure opens the next window
    await invocation("demo/storm", "FAILED");
    await until(async () => (await deliveries(rule.id)).length === 2, "a second window");
    expect((await deliveries(rule.id))[0]).toMatchObject({ state: "COLLECTING", count: 1 });
    expect(await firedCount(rule.id)).toBe(11);
  });
});

describe("email over SMTP", () => {
  it("a failed request is mailed through the workers' SMTP server", async () => {
    const rule = await t.api.alerts.create({
      project: "demo", name: "deploys failing", kind: "request_failed", target: "deploy", collapseWindowMillis: 0,
      channel: { kind: "email", to: ["oncall@example.test", "lead@example.test"] },
    });
    const id = await request("demo", "deploy", "FAIL");
    const mail = (await until(() => mails.find((m) => m.raw.includes(id)), "the mail"))!;
    expect(mail).toMatchObject({ user: "alerts", from: "hourglass@example.test", to: ["oncall@example.test", "lead@example.test"] });
    const unfolded = mail.raw.replace(/\r?\n[ \t]+/g, " ");
    expect(unfolded).toMatch(/^Subject: \[Hourglass\] deploys failing: request r\w+ \(deploy\) failed/m);
    expect(mail.raw).toContain("https://hourglass.example/alerts/demo");
    expect(mail.raw).toContain("alert.json");
    const d = (await until(async () => (await deliveries(rule.id)).find((x) => x.state !== "SENDING"), "the delivery's record"))!;
    expect(d).toMatchObject({ state: "DELIVERED", channel: "email", lastStatus: 250, count: 1 });
  });

  it("a rule's own SMTP server signs in with the rule's password, which the API never returns", async () => {
    const rule = await t.api.alerts.create({
      project: "demo", name: "own server", kind: "invocation_failed", target: "mailer", collapseWindowMillis: 0,
      channel: { kind: "email", to: ["me@example.test"], from: "alerts@example.test",
        smtp: { host: "127.0.0.1", port: smtpPort, username: "rule-user", password: "rule-pass" } },
    });
    expect(rule.channel).toEqual({ kind: "email", to: ["me@example.test"], from: "alerts@example.test",
      smtp: { host: "127.0.0.1", port: smtpPort, secure: false, username: "rule-user", password: SECRET_MASK } });
    expect(JSON.stringify(await t.api.alerts.list({ project: "demo" }))).not.toContain("rule-pass");
    const test = await t.api.alerts.sendTest({ id: rule.id });
    expect(test).toMatchObject({ test: true, state: "SENDING", count: 0 });
    const mail = (await until(() => mails.find((m) => m.raw.includes(`Delivery ${test.id},`)), "the test mail"))!;
    expect(mail).toMatchObject({ user: "rule-user", from: "alerts@example.test", to: ["me@example.test"] });
    expect(mail.raw).toContain("Test notification of alert rule");
    // an edit that sends the mask back keeps the password: the next mail still signs in
    const kept = await t.api.alerts.update({ id: rule.id, rule: { ...rule, channel: { ...rule.channel, to: ["you@example.test"] } as never } });
    expect(kept.channel).toMatchObject({ to: ["you@example.test"], smtp: { password: SECRET_MASK } });
    const again = await t.api.alerts.sendTest({ id: rule.id });
    await until(async () => (await deliveries(rule.id)).find((d) => d.id === again.id && d.state === "DELIVERED"), "the second test");
    expect(mails.find((m) => m.raw.includes(`Delivery ${again.id},`))).toMatchObject({ user: "rule-user", to: ["you@example.test"] });
  });
});

describe("each kind fires on its own events and not on others", () => {
  it("invocation failed, recovered, late, request failed, backlog and oldest pending", async () => {
    const rule = (name: string, kind: string, target: string, condition = {}) => t.api.alerts.create({
      project: "kinds", name, kind: kind as never, target, condition, channel: webhook(`/kinds/${name}`), collapseWindowMillis: 0,
    });
    const failed = await rule("failed", "invocation_failed", "a");
    const recovered = await rule("recovered", "job_recovered", "a");
    const late = await rule("late", "schedule_late", "a", { lateMillis: 30_000 });
    const requestFailed = await rule("request", "request_failed", "deploy");
    await t.api.queues.createQueue({ name: "kinds_q", project: "kinds" });
    await t.api.queues.createQueue({ name: "kinds_old", project: "kinds" });
    const backlog = await rule("backlog", "queue_backlog", "kinds_q", { backlog: 2 });
    const oldest = await rule("oldest", "queue_oldest_pending", "kinds_old", { oldestPendingMillis: 60_000 });
    const slot = (late_ms: number, skipped_slots?: number) =>
      [{ id: "cron:x", emittedBy: "cron", properties: { slot: clock.now().toISOString(), late_ms, ...(skipped_slots && { skipped_slots }) } }];

    await invocation("kinds/a", "SUCCEEDED"); // a success after none failed: nothing
    await invocation("kinds/b", "FAILED"); // another job
    await invocation("kinds/a", "FAILED"); // failed
    await invocation("kinds/a", "SUCCEEDED"); // recovered
    await invocation("kinds/a", "SUCCEEDED"); // nothing: it had recovered already
    await invocation("kinds/a", null, slot(5000)); // late, but within the limit
    await invocation("kinds/a", null, slot(61_000)); // late
    await invocation("kinds/a", null, slot(2000, 3)); // missed slots
    await invocation("kinds/b", null, slot(600_000)); // another job
    await request("kinds", "deploy", "COMPLETE");
    await request("kinds", "other", "FAIL");
    await request("kinds", "deploy", "FAIL");
    await t.api.queues.enqueueJobs({ queueName: "kinds_q", jobs: [{ body: "1" }, { body: "2" }] }); // at the limit
    await t.api.queues.enqueueJobs({ queueName: "kinds_old", jobs: [{ body: "waits" }] });
    await evaluated();
    await until(async () => (await firedCount(requestFailed.id)) === 1, "the request rule");
    expect(await firedCount(backlog.id)).toBe(0);

    await t.api.queues.enqueueJobs({ queueName: "kinds_q", jobs: [{ body: "3" }] }); // over it
    await until(async () => (await firedCount(backlog.id)) === 1, "the backlog rule");
    await t.api.queues.enqueueJobs({ queueName: "kinds_q", jobs: [{ body: "4" }] }); // still over: no new firing
    expect(await firedCount(oldest.id)).toBe(0);
    clock.advance(61_000);
    await until(async () => (await firedCount(oldest.id)) === 1, "the oldest-pending rule");
    await evaluated();

    const counts = await Promise.all([failed, recovered, late, requestFailed, backlog, oldest].map((r) => firedCount(r.id)));
    expect(counts).toEqual([1, 1, 2, 1, 1, 1]);
    await until(() => hook.calls.filter((c) => c.path.startsWith("/kinds/")).length === 7, "seven notifications");
    const said = (name: string) => hook.callsTo(`/kinds/${name}`).map((c) => JSON.parse(c.body).firings[0].text as string);
    expect(said("recovered")).toEqual([expect.stringMatching(/^kinds\/a recovered: invocation \d+ succeeded after a failure$/)]);
    // two notifications of one rule are sent side by side: in either order
    expect(said("late").sort()).toEqual([
      expect.stringMatching(/^kinds\/a: 3 slot\(s\) before .* were missed/), expect.stringMatching(/^kinds\/a: the slot .* started 61000 ms late/),
    ]);
    expect(said("backlog")).toEqual(["queue kinds_q has more than 2 due pending jobs"]);
    expect(said("oldest")).toEqual(["queue kinds_old: its oldest due pending job has waited 61 s"]);
  });
});
