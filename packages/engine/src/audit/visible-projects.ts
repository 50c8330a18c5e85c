/**
 * Which projects a search of the log needs to read for a caller: a narrowing
 * done in SQL before the exact check (events/feed-match.ts visibleTo) runs
 * on each event. It must never leave out a project where the caller could
 * see something; it may include projects where it sees nothing. Pure.
 */
import { ACCESS_MANAGE, RESOURCE_ACTIONS, RESOURCE_KINDS } from "../access/resources.ts";
import type { HeldScopes } from "../access/scopes.ts";

/** `queues:read:`, `scheduler:read:`, …: the prefixes of every read scope. */
const READ_PREFIXES = RESOURCE_KINDS
  .filter((k) => (RESOURCE_ACTIONS[k] as readonly string[]).includes("read"))
  .map((k) => `${k}:read:`);

/**
 * The projects whose events the caller may see some of, or null for "any
 * project" (an access administrator sees access events wherever they are,
 * and a star over project names, such as `queues:read:de*` or `*`, reaches
 * projects no list can name). Read scopes name their project before the
 * `/`: `queues:read:demo/*`, `scheduler:read:demo/nightly`.
 */
export function visibleProjects(scopes: HeldScopes): string[] | null {
  if (scopes.satisfies(ACCESS_MANAGE)) return null;
  const projects = new Set<string>();
  for (const held of scopes.scopes()) {
    const star = held.endsWith("*");
    const stem = star ? held.slice(0, -1) : held;
    for (const prefix of READ_PREFIXES) {
      if (star && prefix.startsWith(stem)) return null; // `*`, `queues:*`, `queues:read:*`
      if (!stem.startsWith(prefix)) continue;
      const rest = stem.slice(prefix.length);
      const slash = rest.indexOf("/");
      if (slash === -1) {
        if (star) return null; // `queues:read:de*`: every project starting with "de"
        continue; // `queues:read:demo` names no resource
      }
      if (slash > 0) projects.add(rest.slice(0, slash));
    }
  }
  return [...projects].sort();
}
