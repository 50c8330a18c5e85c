/**
 * The check every API input passes before its procedure's schema, on the raw
 * JSON (object keys included), so no procedure can forget it:
 * - no string may hold a NUL (PostgreSQL text and jsonb cannot store U+0000)
 *   or a lone UTF-16 surrogate (not Unicode: jsonb rejects it, and text
 *   would silently store U+FFFD instead);
 * - JSON nests at most MAX_INPUT_DEPTH levels (deeper values exhaust the stack
 *   of whatever walks them recursively, JSON.stringify included);
 * - at most MAX_INPUT_NODES values in all (the largest valid call, an
 *   enqueueJobs or an ack of 10,000 jobs with every field, has about 100,000).
 */

export const MAX_INPUT_DEPTH = 32;
export const MAX_INPUT_NODES = 250_000;
/** A message lists this many problems at most; one is enough to reject the call. */
const MAX_ISSUES = 10;

export interface InputIssue {
  /** Dotted path of the value, as zod reports it ("jobs.0.body"); "" for the input itself. */
  path: string;
  message: string;
}

const NUL_MESSAGE = "contains a NUL byte (U+0000), which PostgreSQL text cannot store";
// With the u flag a surrogate pair is one code point; only a lone half is in \p{Cs}.
const LONE_SURROGATE = /\p{Cs}/u;

/** What is wrong with a string, or null. */
function stringProblem(s: string): string | null {
  if (s.includes("\0")) return NUL_MESSAGE;
  const m = LONE_SURROGATE.exec(s);
  if (m) {
    const unit = m[0].charCodeAt(0).toString(16).toUpperCase();
    return `contains a lone surrogate (U+${unit}), which is not Unicode text and cannot be stored`;
  }
  return null;
}

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * The input's problems, at most MAX_ISSUES; empty when it may go on to its
 * schema. Recursion stops at MAX_INPUT_DEPTH, so the walk's own stack is bounded.
 * Values JSON cannot produce (streams, FormData) are left to the schema.
 */
export function inputIssues(input: unknown): InputIssue[] {
  const issues: InputIssue[] = [];
  let nodes = 0;
  const report = (path: PropertyKey[], message: string) => {
    if (issues.length >= MAX_ISSUES) return;
    issues.push({ path: path.map(String).join("."), message: path.length ? message : `the input ${message}` });
  };
  const walk = (value: unknown, path: PropertyKey[], depth: number): void => {
    if (issues.length >= MAX_ISSUES) return;
    if (++nodes === MAX_INPUT_NODES + 1) report([], `has more than ${MAX_INPUT_NODES} values`);
    if (nodes > MAX_INPUT_NODES) return;
    if (typeof value === "string") {
      const problem = stringProblem(value);
      if (problem) report(path, problem);
      return;
    }
    if (typeof value !== "object" || value === null) return;
    if (depth === MAX_INPUT_DEPTH) {
      report(path, `nests deeper than ${MAX_INPUT_DEPTH} levels`);
      return;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) walk(value[i], [...path, i], depth + 1);
      return;
    }
    if (!isPlainObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const problem = stringProblem(key);
      // the key itself is not shown: it is the part that cannot be printed
      if (problem) report(path, `has a key that ${problem}`);
      else walk(child, [...path, key], depth + 1);
    }
  };
  walk(input, [], 0);
  return issues;
}
