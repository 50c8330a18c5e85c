import type { Prisma } from "@hourglass/db";

/** A queue row as Prisma types it; the admin statements return the same shape. */
export type QueueRow = Prisma.QueueGetPayload<object>;

/** What the admin statements RETURN, in QueueRow's names (bigints as text, converted by toQueueRow). */
export const QUEUE_RETURNING = `
  name, project, created_at AS "createdAt", updated_at AS "updatedAt", claim_timeout_millis AS "claimTimeoutMillis",
  succeeded_retention_millis::text AS "succeededRetentionMillis", failed_retention_millis::text AS "failedRetentionMillis",
  dequeue_rate_limit AS "dequeueRateLimit", rate_tokens AS "rateTokens", rate_tokens_at AS "rateTokensAt",
  paused_at AS "pausedAt", paused_by AS "pausedBy", rate_limit_before_pause AS "rateLimitBeforePause", executor`;

type Returned = Omit<QueueRow, "succeededRetentionMillis" | "failedRetentionMillis"> & {
  succeededRetentionMillis: string;
  failedRetentionMillis: string;
};

export function toQueueRow(r: Returned): QueueRow {
  return { ...r, succeededRetentionMillis: BigInt(r.succeededRetentionMillis), failedRetentionMillis: BigInt(r.failedRetentionMillis) };
}
