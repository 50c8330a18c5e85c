import { createHash, timingSafeEqual } from "node:crypto";
import type { Metrics } from "./metrics.ts";

/**
 * Whether a scrape may read the metrics: always when no token is configured
 * (like most exporters; see README's security model), else only with
 * `Authorization: Bearer <token>`. The comparison takes the same time
 * whatever the guess: both sides are hashed to 32 bytes first, so neither
 * a wrong length nor a common prefix shows in the timing.
 */
export function metricsAuthorized(authorization: string | null | undefined, token: string | undefined): boolean {
  if (!token) return true;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(m?.[1] ?? ""), digest(token)) && m !== null;
}

export interface MetricsReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** GET /metrics for any transport: 401 without the token (when one is set), else the text exposition. */
export async function metricsReply(metrics: Metrics, authorization: string | null | undefined, token: string | undefined): Promise<MetricsReply> {
  if (!metricsAuthorized(authorization, token)) {
    return {
      status: 401,
      headers: { "content-type": "text/plain; charset=utf-8", "www-authenticate": 'Bearer realm="hourglass metrics"' },
      body: "metrics need Authorization: Bearer <HOURGLASS_METRICS_TOKEN>\n",
    };
  }
  return { status: 200, headers: { "content-type": metrics.contentType, "cache-control": "no-store" }, body: await metrics.text() };
}
