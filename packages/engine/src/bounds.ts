/**
 * What an input value may be so that both JavaScript and PostgreSQL hold it.
 * Every schema field that becomes a bigint id or a timestamptz is bounded
 * here: a value outside these ranges is the caller's mistake (400), never a
 * database error (500).
 */
import { z } from "zod";

/** The largest PostgreSQL bigint (ids of jobs, invocations, triggers). */
export const MAX_BIGINT = 9223372036854775807n;

/** Decimal digits without a sign or leading zero: "1" to "9223372036854775807". */
const BIGINT_ID = /^[1-9][0-9]{0,18}$/;

/** True when `s` is a positive bigint id (19 digits are not enough to say: "9999999999999999999" is too big). */
export function isBigintId(s: string): boolean {
  return BIGINT_ID.test(s) && BigInt(s) <= MAX_BIGINT;
}

/** A positive bigint id sent as a string; `message` says what it should be. */
export function bigintIdString(message: string) {
  // the refinement passes what the regex already failed, so a bad value gets one issue, not two
  return z.string().regex(BIGINT_ID, message).refine((s) => !BIGINT_ID.test(s) || BigInt(s) <= MAX_BIGINT, message);
}

/**
 * Epoch millis of 0001-01-01 and 9999-12-31 (UTC), the years both a JS Date
 * (±8.64e15 ms) and timestamptz (4713 BC to 294276 AD) hold and that
 * node-postgres writes as a four-digit year.
 */
export const MIN_EPOCH_MILLIS = Date.parse("0001-01-01T00:00:00.000Z");
export const MAX_EPOCH_MILLIS = Date.parse("9999-12-31T23:59:59.999Z");

/** True when `ms` is a whole number of millis within MIN_EPOCH_MILLIS..MAX_EPOCH_MILLIS. */
export function isEpochMillis(ms: number): boolean {
  return Number.isInteger(ms) && ms >= MIN_EPOCH_MILLIS && ms <= MAX_EPOCH_MILLIS;
}

/** A point in time as epoch millis, from `min` (default 1970) to the end of year 9999. */
export function epochMillis(min = 0) {
  return z.int().min(min).max(MAX_EPOCH_MILLIS, "a timestamp is at most 253402300799999 (the end of year 9999)");
}

/**
 * The longest delay a caller may ask for (100 years): now plus it stays far
 * inside MAX_EPOCH_MILLIS, so sums computed in SQL stay readable as Dates.
 */
export const MAX_DELAY_MILLIS = 100 * 365.25 * 24 * 3600_000;

export const delayMillis = z.int().min(0)
  .max(MAX_DELAY_MILLIS, `a delay is at most ${MAX_DELAY_MILLIS} ms (100 years)`);
