/**
 * Retries of a notification: attempt n (from 1) that failed is followed by
 * attempt n + 1 after RETRY_BASE_MS · 2^(n-1), at most RETRY_MAX_MS, until
 * MAX_ATTEMPTS have failed: 10 s, 20 s, 40 s … about 21 minutes in all.
 * Every failure is retried (a 4xx too: a receiver being redeployed or a
 * rotated secret answers one for a while).
 */
export const MAX_ATTEMPTS = 8;
export const RETRY_BASE_MS = 10_000;
export const RETRY_MAX_MS = 3_600_000;

/** How long after failed attempt `attempt` the next one runs; null when none is left. */
export function retryDelay(attempt: number, maxAttempts = MAX_ATTEMPTS): number | null {
  if (attempt >= maxAttempts) return null;
  return Math.min(RETRY_BASE_MS * 2 ** (attempt - 1), RETRY_MAX_MS);
}
