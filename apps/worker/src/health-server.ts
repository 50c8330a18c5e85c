// The worker's optional HTTP port (HOURGLASS_WORKER_HEALTH_PORT), on
// 127.0.0.1: liveness (/health: the process answers), readiness
// (/health/ready: the database does) and Prometheus metrics (/metrics: this
// worker's counters, the database gauges, Node's process metrics; Bearer
// HOURGLASS_METRICS_TOKEN when set).
import type { Engine, Logger } from "@hourglass/engine";
import { checkDatabase } from "@hourglass/engine";
import { metricsReply } from "@hourglass/engine/metrics";
import { createServer, type Server } from "node:http";

export interface HealthServerOptions {
  port: number;
  engine: Engine;
  workerId: string;
  /** True once the worker is shutting down: both health paths answer 503 "stopping". */
  stopping: () => boolean;
  metricsToken: string | undefined;
  logger: Logger;
}

export function serveHealth(o: HealthServerOptions): Server {
  const server = createServer(async (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/metrics") {
      try {
        const reply = await metricsReply(o.engine.ctx.metrics, req.headers.authorization, o.metricsToken);
        return void res.writeHead(reply.status, reply.headers).end(reply.body);
      } catch (err) {
        o.logger.error("metrics scrape failed", { error: (err as Error).message });
        return void res.writeHead(500).end();
      }
    }
    const ready = path === "/health/ready";
    if (path !== "/health" && !ready) return void res.writeHead(404).end();
    const database = ready ? await checkDatabase(o.engine.ctx) : undefined;
    const stopping = o.stopping();
    const ok = !stopping && (database?.ok ?? true);
    res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
    res.end(JSON.stringify({ status: stopping ? "stopping" : ok ? "ok" : "unavailable", workerId: o.workerId, database }));
  });
  server.on("error", (err) => o.logger.error("health port failed", { port: o.port, error: err.message }));
  server.listen(o.port, "127.0.0.1");
  server.unref();
  return server;
}
