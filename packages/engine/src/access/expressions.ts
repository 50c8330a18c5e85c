/**
 * Scope expressions, Taskcluster's: what a call requires, as a scope or an
 * AllOf / AnyOf of expressions. `{ AllOf: [] }` asks for nothing and is always
 * satisfied; `{ AnyOf: [] }` offers no way in and never is.
 *
 * `missingScopes` is Taskcluster's removeGivenScopes, minimised, so a 403 can
 * say exactly what the caller lacks: "missing scope queues:manage:demo/emails".
 */
import { heldScopes, isValidScope, scopeSatisfies, type Held, type HeldScopes } from "./scopes.ts";

export type ScopeExpression = string | { AllOf: ScopeExpression[] } | { AnyOf: ScopeExpression[] };

/** Deepest nesting `isValidExpression` accepts; real requirements are two or three levels deep. */
export const MAX_EXPRESSION_DEPTH = 16;

/** True when `value` is a valid scope, or an object with exactly one key AllOf / AnyOf holding valid expressions. */
export function isValidExpression(value: unknown, depth = 0): value is ScopeExpression {
  if (typeof value === "string") return isValidScope(value);
  if (depth >= MAX_EXPRESSION_DEPTH || typeof value !== "object" || value === null) return false;
  const keys = Object.keys(value);
  if (keys.length !== 1 || (keys[0] !== "AllOf" && keys[0] !== "AnyOf")) return false;
  const items: unknown = (value as Record<string, unknown>)[keys[0]];
  return Array.isArray(items) && items.every((item) => isValidExpression(item, depth + 1));
}

/** True when `held` satisfies `expr`. */
export function satisfies(held: Held, expr: ScopeExpression): boolean {
  return missingIn(heldScopes(held), expr) === null;
}

/**
 * What `held` lacks to satisfy `expr`, or null when it satisfies it. The
 * result is an expression over the unsatisfied parts only, minimised:
 * satisfied branches are gone, nested AllOf / AnyOf are flattened, one-item
 * lists unwrapped, duplicates dropped, an AllOf scope implied by another of
 * its scopes dropped (`a:*` makes `a:b` redundant), and an AnyOf scope that
 * implies another alternative dropped (`a:b` is the easier way in than `a:*`).
 * Holding it all (or any one AnyOf alternative) would satisfy `expr`.
 */
export function missingScopes(held: Held, expr: ScopeExpression): ScopeExpression | null {
  return missingIn(heldScopes(held), expr);
}

function missingIn(held: HeldScopes, expr: ScopeExpression): ScopeExpression | null {
  if (typeof expr === "string") return held.satisfies(expr) ? null : expr;
  if ("AllOf" in expr) {
    const missing = expr.AllOf.map((e) => missingIn(held, e)).filter((e) => e !== null);
    return missing.length === 0 ? null : combine("AllOf", missing);
  }
  const missing: ScopeExpression[] = [];
  for (const e of expr.AnyOf) {
    const m = missingIn(held, e);
    if (m === null) return null;
    missing.push(m);
  }
  return combine("AnyOf", missing);
}

/** `{ [kind]: items }` flattened, deduplicated and reduced as `missingScopes` describes. */
function combine(kind: "AllOf" | "AnyOf", items: ScopeExpression[]): ScopeExpression {
  const flat = items.flatMap((e) => (typeof e !== "string" && kind in e ? listOf(e) : [e]));
  const scopes = [...new Set(flat.filter((e) => typeof e === "string"))];
  const kept = scopes.filter((s) => !scopes.some((other) => other !== s && redundant(kind, s, other)));
  const compound = dedupe(flat.filter((e) => typeof e !== "string")).filter((c) => !absorbed(kind, c, kept));
  const result = [...kept, ...compound];
  if (result.length === 1) return result[0]!;
  return kind === "AllOf" ? { AllOf: result } : { AnyOf: result };
}

/** In an AllOf, `s` adds nothing when `other` satisfies it; in an AnyOf, when `s` satisfies the easier `other`. */
function redundant(kind: "AllOf" | "AnyOf", s: string, other: string): boolean {
  return kind === "AllOf" ? scopeSatisfies(other, s) : scopeSatisfies(s, other);
}

/**
 * After flattening, an AllOf's compound items are AnyOfs and an AnyOf's are AllOfs.
 * AllOf: an AnyOf is absorbed when a kept scope already satisfies one of its alternatives.
 * AnyOf: an AllOf alternative is absorbed when one of its scopes satisfies a kept (easier) alternative.
 */
function absorbed(kind: "AllOf" | "AnyOf", compound: ScopeExpression, kept: string[]): boolean {
  const scopes = listOf(compound as Exclude<ScopeExpression, string>).filter((e) => typeof e === "string");
  return scopes.some((s) => kept.some((k) => redundant(kind, s, k)));
}

function listOf(expr: Exclude<ScopeExpression, string>): ScopeExpression[] {
  return "AllOf" in expr ? expr.AllOf : expr.AnyOf;
}

function dedupe(exprs: ScopeExpression[]): ScopeExpression[] {
  const seen = new Set<string>();
  return exprs.filter((e) => {
    const key = JSON.stringify(e);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `expr` in words: a scope as itself, `all of (a, b)`, `any of (a, all of (b, c))`. */
export function formatExpression(expr: ScopeExpression): string {
  if (typeof expr === "string") return expr;
  const kind = "AllOf" in expr ? "all of" : "any of";
  return `${kind} (${listOf(expr).map(formatExpression).join(", ")})`;
}

/**
 * A 403 message for what `held` lacks to satisfy `expr`, or null when nothing:
 * "missing scope q:a", "missing scopes q:a, any of (q:b, q:c)", "needs any of q:a, q:b".
 */
export function missingScopesMessage(held: Held, expr: ScopeExpression): string | null {
  const missing = missingScopes(held, expr);
  if (missing === null) return null;
  if (typeof missing === "string") return `missing scope ${missing}`;
  const items = listOf(missing).map(formatExpression).join(", ");
  if ("AllOf" in missing) return `missing scopes ${items}`;
  return items === "" ? "needs any of (nothing: no alternative offered)" : `needs any of ${items}`;
}
