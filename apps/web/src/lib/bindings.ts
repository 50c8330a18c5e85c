// A principal's scopes as the access pages show and edit them: role
// bindings (`assume:…`, shown as role names) apart from the other scopes.
// Pure, so it is tested without a browser.
import { ADMIN_ROLE, ASSUME_PREFIX, HeldScopes, isValidProject, isValidScope, PROJECT_ROLE_LEVELS, type ProjectRoleLevel } from "@hourglass/engine/access";

/** A role a principal is bound to: a predefined project role, admin, or a stored role. */
export type Binding =
  | { kind: "project"; project: string; level: ProjectRoleLevel }
  | { kind: "admin" }
  | { kind: "role"; roleId: string };

const PROJECT_ROLE = /^project:([^:]+):([^:]+)$/;

/** The binding `scope` grants, or null when it is not one plain `assume:<role>` (stars stay scopes). */
export function bindingOf(scope: string): Binding | null {
  if (!scope.startsWith(ASSUME_PREFIX) || scope.endsWith("*")) return null;
  const roleId = scope.slice(ASSUME_PREFIX.length);
  if (roleId === ADMIN_ROLE) return { kind: "admin" };
  const m = PROJECT_ROLE.exec(roleId);
  if (m && isValidProject(m[1]!)) {
    const level = PROJECT_ROLE_LEVELS.find((l) => l === m[2]);
    if (level) return { kind: "project", project: m[1]!, level };
  }
  return roleId === "" ? null : { kind: "role", roleId };
}

/** The scope that grants `b`. */
export function bindingScope(b: Binding): string {
  if (b.kind === "admin") return ASSUME_PREFIX + ADMIN_ROLE;
  if (b.kind === "project") return `${ASSUME_PREFIX}project:${b.project}:${b.level}`;
  return ASSUME_PREFIX + b.roleId;
}

/** `b` in words: "admin", "demo reader", "role ops-team". */
export function bindingLabel(b: Binding): string {
  if (b.kind === "admin") return "admin";
  if (b.kind === "project") return `${b.project} ${b.level}`;
  return `role ${b.roleId}`;
}

/** Stored scopes split into role bindings and the rest, each in stored order. */
export function splitScopes(scopes: readonly string[]): { bindings: Binding[]; extra: string[] } {
  const bindings: Binding[] = [];
  const extra: string[] = [];
  for (const s of scopes) {
    const b = bindingOf(s);
    if (b) bindings.push(b);
    else extra.push(s);
  }
  return { bindings, extra };
}

/** Scopes typed one per line (or separated by spaces or commas: a scope never holds either). */
export function parseScopeLines(text: string): string[] {
  return text.split(/[\s,]+/).filter((s) => s !== "");
}

/** The typed scopes that are not valid scopes, to say so before the server does. */
export function invalidTyped(text: string): string[] {
  return parseScopeLines(text).filter((s) => !isValidScope(s));
}

/** Bindings and typed scopes as the scope list to store: bindings first, no duplicates. */
export function joinScopes(bindings: readonly Binding[], extraText: string): string[] {
  return [...new Set([...bindings.map(bindingScope), ...parseScopeLines(extraText)])];
}

/** What a scope editor holds: the bindings and the free-form scopes as typed. */
export interface ScopesDraft {
  bindings: Binding[];
  extraText: string;
}

export function draftOf(scopes: readonly string[]): ScopesDraft {
  const { bindings, extra } = splitScopes(scopes);
  return { bindings, extraText: extra.join("\n") };
}

export function scopesOf(draft: ScopesDraft): string[] {
  return joinScopes(draft.bindings, draft.extraText);
}

export function sameBinding(a: Binding, b: Binding): boolean {
  return bindingScope(a) === bindingScope(b);
}

/**
 * A new token's default scopes: the caller's role bindings (`assume:…`, so the
 * token follows the roles as they change), then whatever else it holds that
 * those roles do not grant. `held` is whoami's expanded, normalised set and
 * `grantedByBindings` the expansion of its `assume:` scopes.
 */
export function tokenDefaults(held: readonly string[], grantedByBindings: readonly string[]): string[] {
  const bindings = held.filter((s) => s.startsWith(ASSUME_PREFIX));
  const granted = new HeldScopes(grantedByBindings);
  return [...bindings, ...held.filter((s) => !s.startsWith(ASSUME_PREFIX) && !granted.satisfies(s))];
}
