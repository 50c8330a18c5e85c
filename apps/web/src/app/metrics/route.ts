// Prometheus metrics of this web process (see README, Operations → Metrics):
// the engine's counters, the database gauges and Node's process metrics.
// Open unless HOURGLASS_METRICS_TOKEN is set; then `Authorization: Bearer
// <token>` or 401. The proxy lets /metrics through without a session.
import { metricsReply } from "@hourglass/engine/metrics";
import { getEngine, getMetricsToken } from "@/lib/engine";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const reply = await metricsReply(getEngine().ctx.metrics, request.headers.get("authorization"), getMetricsToken());
  return new Response(reply.body, { status: reply.status, headers: reply.headers });
}
