/**
 * scanJobs' continuation tokens: a keyset position (run_after, id), opaque to
 * callers. A token that encodeContinuation could not have produced, a time
 * no Date or timestamptz holds or an id above the bigint range included, is
 * CONTINUATION_INVALID, never a database error.
 */
import { isBigintId, isEpochMillis } from "../bounds.ts";
import { HourglassError } from "../errors.ts";
import type { ScanCursor } from "./sql/scanJobs.ts";

/** PinLater's CONTINUATION_START: the first page. */
export const CONTINUATION_START = "0";
/** No more pages. */
export const CONTINUATION_END = "-1";

export function encodeContinuation(c: ScanCursor): string {
  return Buffer.from(`${c.runAfter.getTime()}:${c.id}`).toString("base64url");
}

function decode(s: string): ScanCursor | null | undefined {
  if (s === CONTINUATION_START) return null;
  const m = /^(-?\d{1,16}):(\d{1,19})$/.exec(Buffer.from(s, "base64url").toString());
  if (!m || !isEpochMillis(Number(m[1])) || !isBigintId(m[2]!)) return undefined;
  return { runAfter: new Date(Number(m[1])), id: m[2]! };
}

const problem = (s: string) => `${JSON.stringify(s.slice(0, 200))} is not a continuation scanJobs returned`;

/** Why `s` is not a continuation (CONTINUATION_END included: callers check it first), or null (for schemas). */
export function continuationProblem(s: string): string | null {
  return s === CONTINUATION_END || decode(s) !== undefined ? null : problem(s);
}

/** The cursor `s` stands for; null for CONTINUATION_START. */
export function decodeContinuation(s: string): ScanCursor | null {
  const cursor = decode(s);
  if (cursor === undefined) throw new HourglassError("CONTINUATION_INVALID", `continuation ${problem(s)}`);
  return cursor;
}
