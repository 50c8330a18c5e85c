// Alerts on the scheduler's own events, end to end in one worker (createWorker
// with the scheduler and the alert part) and an injected clock: a job whose
// shell task fails, then succeeds (failed, recovered), and a cron job whose
// workers were away for five minutes (its catch-up run is late and passed
// over missed slots). Nothing here writes an event: the scheduler does, and
// the evaluator follows the log.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIGNATURE_HEADER, verifySignature } from "../src/alerts/signing.ts";
import { createTestEngine, ManualClock, type TestEngine } from "../src/testing.ts";
import { createWorker, type HourglassWorker } from "../src/worker/index.ts";
import { until } from "./helpers.ts";

const SECRET = "whsec-scheduler-alerts-test";
const clock = new ManualClock(Date.parse("2026-03-02T09:00:03Z"));
const dir = mkdtempSync(join(tmpdir(), "hourglass-alerts-sched-"));
const mark = join(dir, "healthy");
let t: TestEngine;
let worker: HourglassWorker;
let server: Server;
let url = "";
const received: { path: string; body: any; signed: boolean }[] = [];

beforeAll(async () => {
  t = await createTestEngine({ clock });
  mkdirSync(join(dir, "projects"));
  writeFileSync(join(dir, "projects", "live.yaml"), `jobs:
  - id: broken
    task: { kind: shell, command: sh, args: ["-c", "test -f ${mark}"] }
  - id: every10
    schedule: "*/10 * * * * *"
    task: { kind: noop }
`);
  server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", body: JSON.parse(raw), signed: verifySignature(SECRET, raw, req.headers[SIGNATURE_HEADER.toLowerCase()] as string) });
      res.end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  worker = createWorker(t.engine, {
    workerId: "alerts-sched", pollIntervalMs: 20, childEnv: { PATH: process.env.PATH! },
    scheduler: { projectsDir: join(dir, "projects"), intervalMs: 20, catalogIntervalMs: 60_000 },
    alerts: { intervalMs: 20, thresholdIntervalMs: 60_000, smtp: { url: null, from: "hourglass@example.test" }, dashboardUrl: null },
  });
  await worker.start();
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

const rule = (name: string, kind: string, target: string, condition = {}) => t.api.alerts.create({
  project: "live", name, kind: kind as never, target, condition, collapseWindowMillis: 0,
  channel: { kind: "webhook", url: `${url}/${name}`, secret: SECRET },
});

describe("alerts on the scheduler's events", () => {
  it("a job's failed invocation, then its first success after it, are notified", async () => {
    await rule("failed", "invocation_failed", "broken");
    await rule("recovered", "job_recovered", "broken");
    await t.api.scheduler.triggerJob({ job: "live/broken" });
    const failed = (await until(() => received.find((r) => r.path === "/failed"), "the failure's notification"))!;
    expect(failed.signed).toBe(true);
    expect(failed.body).toMatchObject({ count: 1, rule: { kind: "invocation_failed", target: "broken" } });
    expect(failed.body.firings[0].text).toMatch(/^invocation \d+ of live\/broken failed/);
    expect(received.some((r) => r.path === "/recovered")).toBe(false);

    writeFileSync(mark, "");
    await t.api.scheduler.triggerJob({ job: "live/broken" });
    const recovered = (await until(() => received.find((r) => r.path === "/recovered"), "the recovery's notification"))!;
    expect(recovered.body.firings[0].text).toMatch(/^live\/broken recovered: invocation \d+ succeeded after a failure$/);
    await t.api.scheduler.triggerJob({ job: "live/broken" });
    await until(async () => (await t.api.scheduler.getInvocations({ job: "live/broken" })).invocations.filter((i) => i.state === "SUCCEEDED").length === 2,
      "a second success");
    const end = await t.engine.events.end();
    await until(async () => {
      const r = await t.db.sql.query<{ cursor: string }>(`SELECT cursor FROM event_consumer WHERE consumer = 'alerts'`);
      const [tx, id] = (r.rows[0]?.cursor ?? "0.0").split(".").map(BigInt) as [bigint, bigint];
      return tx > end.tx || (tx === end.tx && id >= end.id);
    }, "the evaluator to read past the second success");
    expect(received.filter((r) => r.path === "/recovered")).toHaveLength(1); // a success after a success is no recovery
  });

  it("a cron job whose workers were away fires schedule_late for its catch-up, with the slots it missed", async () => {
    await rule("late", "schedule_late", "every10", { lateMillis: 30_000 });
    await until(async () => (await t.api.scheduler.getJob({ job: "live/every10" })).nextRunTimestampMillis !== null, "the cron job armed");
    clock.advance(5 * 60_000);
    const late = (await until(() => received.find((r) => r.path === "/late"), "the late slot's notification"))!;
    expect(late.signed).toBe(true);
    const data = late.body.firings[0].data;
    expect(data.skippedSlots).toBeGreaterThanOrEqual(25);
    expect(data.lateMs).toBeLessThan(10_000);
    expect(late.body.firings[0].text).toMatch(/^live\/every10: \d+ slot\(s\) before .* were missed/);
  });
});
