/**
 * Scopes, Taskcluster's (libraries/scopes): a scope is a short printable
 * string, and a held scope ending in `*` stands for every scope it prefixes.
 * Every access check in Hourglass is "do the caller's scopes satisfy the
 * scopes this call requires?"; this module answers it, purely.
 *
 *   held `queues:read:demo/*`  satisfies  `queues:read:demo/emails`, `queues:read:demo/*`
 *   held `*`                   satisfies  everything
 *   held `queues:read:demo`    satisfies  only `queues:read:demo`
 *
 * A required scope ending in `*` asks for everything it prefixes, so only a
 * held scope that covers all of that satisfies it: `a*` or `*`, never `a:*`
 * or `ab`. One deliberate difference from Taskcluster: there `a**` satisfies
 * `a*` (as strings, `a*` starts with `a*`), which would let a holder of
 * `a**` mint a token for all of `a`; here it does not.
 */

/** Longest scope, in characters (a role id is at most this minus `assume:`). */
export const MAX_SCOPE_LENGTH = 500;

/** Printable ASCII without the space: scopes never need whitespace, and a stray one is a typo. */
const SCOPE = /^[\x21-\x7e]+$/;

/** True when `scope` is 1–500 printable ASCII characters with no whitespace. */
export function isValidScope(scope: unknown): scope is string {
  return typeof scope === "string" && scope.length <= MAX_SCOPE_LENGTH && SCOPE.test(scope);
}

/** The scopes of `scopes` that are not valid (empty when all are), for a 400 message. */
export function invalidScopes(scopes: readonly unknown[]): unknown[] {
  return scopes.filter((s) => !isValidScope(s));
}

/** True when held scope `held` satisfies required scope `required` (the rules at the top of this file). */
export function scopeSatisfies(held: string, required: string): boolean {
  if (held === required) return true;
  if (!held.endsWith("*")) return false;
  return withoutStar(required).startsWith(held.slice(0, -1));
}

/** `a*` → `a`; a scope without a final star is returned as it is. */
export function withoutStar(scope: string): string {
  return scope.endsWith("*") ? scope.slice(0, -1) : scope;
}

/**
 * Star prefixes of one group, with their distinct lengths ascending: a
 * string is covered when its first `length` characters are one of them,
 * for some length.
 */
class PrefixGroup {
  readonly prefixes = new Set<string>();
  readonly lengths: number[] = [];

  add(prefix: string): void {
    this.prefixes.add(prefix);
    if (this.lengths.includes(prefix.length)) return;
    const at = this.lengths.findIndex((l) => l > prefix.length);
    this.lengths.splice(at === -1 ? this.lengths.length : at, 0, prefix.length);
  }

  /** True when a prefix of at most maxLength characters starts `rest`. */
  covers(rest: string, maxLength: number): boolean {
    for (const length of this.lengths) {
      if (length > rest.length || length > maxLength) return false;
      if (this.prefixes.has(rest.slice(0, length))) return true;
    }
    return false;
  }
}

/** The text before the first `:` (the resource kind of `queues:read:…`), or null when there is none. */
function headOf(s: string): string | null {
  const colon = s.indexOf(":");
  return colon === -1 ? null : s.slice(0, colon);
}

/**
 * A set of held scopes indexed for satisfaction checks. Star prefixes are
 * grouped by the text before their first `:` (a prefix with a colon can only
 * start a scope with the same head); a check tries one set lookup per
 * distinct prefix length in its head's group and in the group of prefixes
 * without a colon (`*`, `queues*`), so it costs a handful of lookups however
 * large an expanded set grows. Build one with `heldScopes` when several
 * checks share a set.
 */
export class HeldScopes {
  private readonly exact = new Set<string>();
  /** Prefixes of the held star scopes that contain a `:` (`queues:read:demo/` for `queues:read:demo/*`), by head. */
  private readonly byHead = new Map<string, PrefixGroup>();
  /** Prefixes without a `:` (`` for `*`, `queues` for `queues*`): they may start anything. */
  private readonly headless = new PrefixGroup();

  constructor(scopes: Iterable<string> = []) {
    for (const scope of scopes) this.add(scope);
  }

  /** Adds `scope`; returns false when it was already held verbatim. */
  add(scope: string): boolean {
    if (this.exact.has(scope)) return false;
    this.exact.add(scope);
    if (scope.endsWith("*")) this.addStarPrefix(scope.slice(0, -1));
    return true;
  }

  /** True when some held scope satisfies `required`. */
  satisfies(required: string): boolean {
    return this.exact.has(required) || this.starCovers(withoutStar(required), Infinity);
  }

  /** True when some held scope other than `scope` itself satisfies it (so a normal form drops it). */
  impliesOther(scope: string): boolean {
    const rest = withoutStar(scope);
    // a star scope must not count itself: only strictly shorter prefixes
    return this.starCovers(rest, scope.endsWith("*") ? rest.length - 1 : Infinity);
  }

  /** The normal form of the held scopes (see normalizeScopes). */
  normalized(): string[] {
    // the default sort compares strings by code unit, as compareScopes does, and is faster
    return this.scopes().filter((s) => !this.impliesOther(s)).sort();
  }

  /** Every held scope, in insertion order. */
  scopes(): string[] {
    return [...this.exact];
  }

  private starCovers(rest: string, maxLength: number): boolean {
    if (this.headless.covers(rest, maxLength)) return true;
    const head = headOf(rest);
    const group = head === null ? undefined : this.byHead.get(head);
    return group !== undefined && group.covers(rest, maxLength);
  }

  private addStarPrefix(prefix: string): void {
    const head = headOf(prefix);
    if (head === null) return this.headless.add(prefix);
    let group = this.byHead.get(head);
    if (group === undefined) this.byHead.set(head, (group = new PrefixGroup()));
    group.add(prefix);
  }
}

/** What the checks accept as "the caller's scopes": a plain list, or one indexed once for many checks. */
export type Held = readonly string[] | HeldScopes;

/** `held` as HeldScopes (the same object when it already is one). */
export function heldScopes(held: Held): HeldScopes {
  return held instanceof HeldScopes ? held : new HeldScopes(held);
}

/** Code-unit order, so the sort is the same on every machine and locale. */
export function compareScopes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The normal form of a scope set: no duplicates, no scope that another one
 * satisfies (`a:*` stays, `a:b` goes), sorted. Two sets grant the same access
 * exactly when their normal forms are equal.
 */
export function normalizeScopes(scopes: Iterable<string>): string[] {
  return new HeldScopes(scopes).normalized();
}

/** True when every scope of `candidate` is satisfied by `held`: a token's scopes cannot exceed its creator's. */
export function isSubset(candidate: readonly string[], held: Held): boolean {
  const index = heldScopes(held);
  return candidate.every((s) => index.satisfies(s));
}

/** The scopes of `candidate` that `held` does not satisfy, normalised (for "cannot grant …" messages). */
export function scopesNotHeld(candidate: readonly string[], held: Held): string[] {
  const index = heldScopes(held);
  return normalizeScopes(candidate.filter((s) => !index.satisfies(s)));
}

/**
 * The largest normalised set satisfied by both `a` and `b`: what a token may
 * do when its own scopes are `a` and its owner's are `b`. Two star scopes
 * either nest (the narrower one is kept) or are disjoint, so keeping each
 * scope the other side satisfies is exact:
 *   [`q:*`] ∩ [`q:a`, `r:b`] = [`q:a`];  [`q:*`] ∩ [`q:a/*`] = [`q:a/*`];  [`a*`] ∩ [`a:*`] = [`a:*`]
 */
export function scopeIntersection(a: Held, b: Held): string[] {
  const indexA = heldScopes(a);
  const indexB = heldScopes(b);
  return normalizeScopes([
    ...indexA.scopes().filter((s) => indexB.satisfies(s)),
    ...indexB.scopes().filter((s) => indexA.satisfies(s)),
  ]);
}

/** The smallest normalised set satisfying everything either side satisfies. */
export function scopeUnion(a: Iterable<string>, b: Iterable<string>): string[] {
  return normalizeScopes([...a, ...b]);
}
