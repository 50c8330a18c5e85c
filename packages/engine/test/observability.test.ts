// The pieces the apps build their logs and /metrics from, in-process: the
// pino logger's JSON and pretty lines, the format choice, child loggers, the
// metrics token check, registries that tests do not share, and a scrape
// that survives the database being away.
import { createDatabase } from "@hourglass/db";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createEngine } from "../src/engine.ts";
import { childLogger, silentLogger, type Logger } from "../src/logger.ts";
import { createMetrics, metricsAuthorized, metricsReply } from "../src/metrics/index.ts";
import { logFormat, pinoLogger } from "../src/pino-logger.ts";

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split("\n").filter((l) => l !== ""));
      done();
    },
  });
  return { lines, stream };
}

describe("pinoLogger", () => {
  it("writes one JSON object per line: level, time, msg, the process name and the fields, child bindings included", () => {
    const out = capture();
    const log = pinoLogger({ name: "web", format: "json", destination: out.stream });
    log.child!({ requestId: "r-1" }).warn("ack applied to no job", { queue: "emails", jobId: "42" });
    log.info("plain");
    log.debug("below the level");
    expect(out.lines).toHaveLength(2);
    const line = JSON.parse(out.lines[0]!);
    expect(line).toMatchObject({ level: "warn", name: "web", msg: "ack applied to no job", requestId: "r-1", queue: "emails", jobId: "42" });
    expect(new Date(line.time).toISOString()).toBe(line.time);
    expect(JSON.parse(out.lines[1]!)).toMatchObject({ level: "info", msg: "plain" });
  });

  it("prints readable single lines in the pretty format", () => {
    const out = capture();
    const log = pinoLogger({ name: "worker", format: "pretty", level: "debug", destination: out.stream, colorize: false });
    log.debug("resurrected expired claims", { queue: "emails", pending: 3 });
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] DEBUG: \[worker\] resurrected expired claims .*"queue":"emails"/);
  });

  it("is pretty on a terminal and JSON elsewhere, unless HOURGLASS_LOG_FORMAT says", () => {
    expect(logFormat(undefined, true)).toBe("pretty");
    expect(logFormat(undefined, false)).toBe("json");
    expect(logFormat("json", true)).toBe("json");
    expect(logFormat("pretty", false)).toBe("pretty");
  });
});

describe("childLogger", () => {
  it("merges bindings into the fields of a logger that has no child()", () => {
    const seen: unknown[] = [];
    const plain: Logger = { debug() {}, info: (m, f) => seen.push([m, f]), warn() {}, error() {} };
    childLogger(childLogger(plain, { workerId: "w1" }), { queue: "q" }).info("claimed", { jobs: 2 });
    expect(seen).toEqual([["claimed", { workerId: "w1", queue: "q", jobs: 2 }]]);
    expect(childLogger(silentLogger, { a: 1 })).toBe(silentLogger);
  });
});

describe("the metrics token", () => {
  it("is not needed when none is configured, and must match exactly as a Bearer token when one is", () => {
    expect(metricsAuthorized(null, undefined)).toBe(true);
    expect(metricsAuthorized("Bearer anything", undefined)).toBe(true);
    const token = "s3cret-token";
    expect(metricsAuthorized(`Bearer ${token}`, token)).toBe(true);
    expect(metricsAuthorized(`bearer  ${token} `, token)).toBe(true);
    for (const wrong of [null, "", token, `Bearer ${token}x`, "Bearer s3cret", `Basic ${token}`, `Bearer ${token} extra`, "Bearer "]) {
      expect(metricsAuthorized(wrong, token), String(wrong)).toBe(false);
    }
  });

  it("answers 401 with a challenge and no metrics without it", async () => {
    const reply = await metricsReply(createMetrics(), "Bearer nope", "right");
    expect(reply.status).toBe(401);
    expect(reply.headers["www-authenticate"]).toMatch(/^Bearer realm=/);
    expect(reply.body).not.toContain("hourglass_");
  });
});

describe("metrics registries", () => {
  it("are one per Metrics, never prom-client's global one", async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.claims.inc({ queue: "q" }, 3);
    a.alertDeliveries.inc({ outcome: "delivered" });
    b.eventSubscribers.set(2);
    expect(await a.registry.metrics()).toContain('hourglass_queue_claims_total{queue="q"} 3');
    expect(await a.registry.metrics()).toContain('hourglass_alert_deliveries_total{outcome="delivered"} 1');
    expect(await b.registry.metrics()).not.toContain('queue="q"');
    expect(await b.registry.metrics()).toContain("hourglass_event_stream_subscribers 2");
    expect(await a.registry.metrics()).not.toContain("process_cpu"); // process metrics only when asked for
  });

  it("still answer a scrape while the database is away, saying so", async () => {
    // a port nothing listens on: every connection is refused
    const away = createDatabase("postgresql://postgres:postgres@127.0.0.1:1/hourglass", { outageLog: () => {} });
    const engine = createEngine({ db: away, logger: silentLogger });
    try {
      engine.ctx.metrics.claims.inc({ queue: "q" });
      const text = await engine.ctx.metrics.text();
      expect(text).toContain("hourglass_metrics_database_up 0");
      expect(text).toContain('hourglass_queue_claims_total{queue="q"} 1');
    } finally {
      await away.close();
    }
  });
});
