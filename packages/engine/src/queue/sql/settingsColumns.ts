import type { QueueSettings } from "../schemas.ts";

/**
 * The columns of the settings `s` names, with their values as parameters
 * (`executor` as JSON text, null for none); settings left out are not listed.
 */
export function settingsColumns(s: QueueSettings): { column: string; value: unknown; cast?: string }[] {
  const out: { column: string; value: unknown; cast?: string }[] = [];
  if (s.claimTimeoutMillis !== undefined) out.push({ column: "claim_timeout_millis", value: s.claimTimeoutMillis });
  if (s.succeededRetentionMillis !== undefined) out.push({ column: "succeeded_retention_millis", value: s.succeededRetentionMillis });
  if (s.failedRetentionMillis !== undefined) out.push({ column: "failed_retention_millis", value: s.failedRetentionMillis });
  if (s.dequeueRateLimit !== undefined) out.push({ column: "dequeue_rate_limit", value: s.dequeueRateLimit });
  if (s.executor !== undefined) {
    out.push({ column: "executor", value: s.executor === null ? null : JSON.stringify(s.executor), cast: "::jsonb" });
  }
  return out;
}
