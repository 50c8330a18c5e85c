/**
 * Roles, Taskcluster's (the auth service's ScopeResolver): a role is a named
 * set of scopes, and holding `assume:<roleId>` grants them. Expansion repeats
 * until nothing new is granted, so roles may assume roles, and cycles end.
 *
 * Stars work both ways round, as in Taskcluster:
 *  - a held `assume:team:*` (or `assume:*`, or `*`) grants every role whose
 *    id it prefixes: `team:a`, `team:b`, …;
 *  - a role whose id ends in `*` is a parameterised role: `project-admin:*`
 *    is granted by `assume:project-admin:demo`, and `<..>` in its scopes
 *    becomes the part the star matched, `demo`. When that part ends in a
 *    star (the role was reached by `assume:project-admin:de*` or `assume:*`),
 *    `<..>` and everything after it become that part: `queues:manage:<..>/*`
 *    gives `queues:manage:de*`, which covers every `queues:manage:deX/*`.
 */
import { HeldScopes, isValidScope, MAX_SCOPE_LENGTH, normalizeScopes, compareScopes } from "./scopes.ts";

export interface Role {
  roleId: string;
  scopes: readonly string[];
}

/**
 * Where roles come from: stored ones (`roleIndex`), computed ones
 * (`predefinedRoles`), or both (`combineResolvers`). `grants(scope)` returns
 * the scopes that holding `scope` grants in one step: the union of the
 * scopes of every role `scope` reaches, `<..>` already replaced; it need not
 * be normalised and must be a pure function of `scope`. expandScopes asks
 * only about scopes for which `assumedRoles` is not null.
 */
export interface RoleResolver {
  grants(scope: string): readonly string[];
}

export const ASSUME_PREFIX = "assume:";
/** The parameter placeholder in a parameterised role's scopes. */
export const ROLE_PARAMETER = "<..>";
/** An expansion past this many scopes is a runaway (parameterised roles feeding each other), not a real grant. */
export const MAX_EXPANDED_SCOPES = 10_000;
/** Grants remembered per roleIndex; the memo starts over when full. */
const MEMO_SIZE = 10_000;

/** The scope that grants role `roleId`. */
export function assumeScope(roleId: string): string {
  return ASSUME_PREFIX + roleId;
}

/**
 * Which role ids holding `scope` reaches, as a role-id pattern: `assume:x` →
 * `x`, `assume:x*` → `x*`; a star scope that prefixes `assume:` itself (`*`,
 * `as*`, `assume*`) → `*`, every role; any other scope → null, no role.
 */
export function assumedRoles(scope: string): string | null {
  if (scope.startsWith(ASSUME_PREFIX)) return scope.slice(ASSUME_PREFIX.length);
  if (scope.endsWith("*") && ASSUME_PREFIX.startsWith(scope.slice(0, -1))) return "*";
  return null;
}

/**
 * `scopes` with `<..>` replaced by `param` (see the top of this file for a
 * param ending in a star). Results that are no longer valid scopes (too long)
 * are dropped: an expansion can only lose grants that way, never gain them.
 */
export function substituteParameter(scopes: readonly string[], param: string): string[] {
  return scopes
    .map((s) => {
      const at = s.indexOf(ROLE_PARAMETER);
      if (at === -1) return s;
      if (param.endsWith("*")) return s.slice(0, at) + param;
      return s.slice(0, at) + param + s.slice(at + ROLE_PARAMETER.length);
    })
    .filter(isValidScope);
}

/**
 * What is wrong with `role`, in words (empty when nothing): for the API to
 * reject a role before it is stored. Beyond valid scopes, a `<..>` belongs
 * only in a role whose id ends in `*`, at most once per scope, and not right
 * after a `*` (with an empty parameter that star would become a wildcard).
 */
export function roleProblems(role: Role): string[] {
  const problems: string[] = [];
  if (role.roleId === "" || !isValidScope(assumeScope(role.roleId))) {
    problems.push(`role id "${role.roleId}" must be printable ASCII without spaces, `
      + `at most ${MAX_SCOPE_LENGTH - ASSUME_PREFIX.length} characters`);
  }
  const parameterised = role.roleId.endsWith("*");
  for (const scope of role.scopes) {
    if (!isValidScope(scope)) problems.push(`scope "${scope}" is not a valid scope`);
    const count = scope.split(ROLE_PARAMETER).length - 1;
    if (count > 0 && !parameterised) problems.push(`scope "${scope}" uses <..> but the role id does not end in *`);
    if (count > 1) problems.push(`scope "${scope}" uses <..> more than once`);
    if (scope.includes(`*${ROLE_PARAMETER}`)) problems.push(`scope "${scope}" has <..> right after a *`);
  }
  return problems;
}

/**
 * A resolver over stored roles, indexed once: a held `assume:x` costs a map
 * lookup plus one per distinct length of parameterised role prefixes, and a
 * held `assume:x*` a binary search. Roles with the same id are merged.
 * Build it when the roles change and reuse it for every check; it memoises
 * grants per scope, which is safe because it never changes.
 */
export function roleIndex(roles: readonly Role[]): RoleResolver {
  const fixed = new Map<string, string[]>();
  const parameterised = new Map<string, string[]>();
  for (const { roleId, scopes } of roles) {
    const [map, key] = roleId.endsWith("*") ? [parameterised, roleId.slice(0, -1)] : [fixed, roleId];
    map.set(key, [...(map.get(key) ?? []), ...scopes]);
  }
  const fixedIds = [...fixed.keys()].sort(compareScopes);
  const prefixes = [...parameterised.keys()].sort(compareScopes);
  const lengths = [...new Set(prefixes.map((p) => p.length))].sort((a, b) => a - b);
  const memo = new Map<string, readonly string[]>();

  const compute = (pattern: string): string[] => {
    const out: string[] = [];
    const add = (scopes: readonly string[] | undefined) => scopes && out.push(...scopes);
    const star = pattern.endsWith("*");
    const rest = star ? pattern.slice(0, -1) : pattern;
    // parameterised roles whose prefix the held pattern runs past: the star matched the remainder
    for (const length of lengths) {
      if (length > rest.length || (star && length === rest.length)) break;
      const scopes = parameterised.get(rest.slice(0, length));
      if (scopes) out.push(...substituteParameter(scopes, rest.slice(length) + (star ? "*" : "")));
    }
    if (!star) {
      add(fixed.get(pattern));
      return out;
    }
    // a held star reaches every role id it prefixes; a parameterised one with the parameter `*`
    for (const id of withPrefix(fixedIds, rest)) add(fixed.get(id));
    for (const p of withPrefix(prefixes, rest)) out.push(...substituteParameter(parameterised.get(p)!, "*"));
    return out;
  };

  return {
    grants(scope) {
      const pattern = assumedRoles(scope);
      if (pattern === null) return [];
      let result = memo.get(pattern);
      if (result === undefined) {
        if (memo.size >= MEMO_SIZE) memo.clear();
        result = compute(pattern);
        memo.set(pattern, result);
      }
      return result;
    },
  };
}

/** The entries of sorted `ids` that start with `prefix` (a contiguous run, found by binary search). */
function withPrefix(ids: readonly string[], prefix: string): string[] {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  const out: string[] = [];
  for (let i = lo; i < ids.length && ids[i]!.startsWith(prefix); i++) out.push(ids[i]!);
  return out;
}

/** A resolver granting what any of `resolvers` grants: stored roles beside predefined ones. */
export function combineResolvers(...resolvers: RoleResolver[]): RoleResolver {
  return {
    grants(scope) {
      const out: string[] = [];
      for (const resolver of resolvers) out.push(...resolver.grants(scope));
      return out;
    },
  };
}

/**
 * The normalised fixed point of `held` under `roles`: the held scopes plus
 * everything their roles grant, transitively. Each distinct scope is looked
 * up at most once, and a granted scope that the set already satisfies is
 * neither added nor looked up (what `a*` grants covers what `ab` grants), so
 * a cycle ends when it comes round and a chain of n roles costs n lookups.
 * Throws a RangeError past MAX_EXPANDED_SCOPES (parameterised roles that
 * feed each other ever longer parameters); validate role writes with it.
 */
export function expandScopes(held: readonly string[], roles: RoleResolver): string[] {
  const result = new HeldScopes();
  const queue: string[] = [];
  let count = 0;
  const take = (scope: string) => {
    if (result.satisfies(scope)) return;
    if (++count > MAX_EXPANDED_SCOPES) {
      throw new RangeError(`role expansion passed ${MAX_EXPANDED_SCOPES} scopes: parameterised roles feed each other`);
    }
    result.add(scope);
    if (assumedRoles(scope) !== null) queue.push(scope);
  };
  for (const scope of normalizeScopes(held)) take(scope);
  while (queue.length > 0) {
    for (const granted of roles.grants(queue.pop()!)) take(granted);
  }
  return result.normalized();
}
