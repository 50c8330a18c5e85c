/**
 * The predefined roles, computed rather than stored (LUCI's realms roles,
 * as Taskcluster roles): for every project p, `project:p:reader`,
 * `project:p:triggerer` and `project:p:owner`, each a superset of the one
 * before, and `admin`, which is `*`. Grant one by granting
 * `assume:project:demo:owner`; `assume:project:demo:*` is the same as owner.
 */
import { assumedRoles, type RoleResolver } from "./roles.ts";
import { isValidProject, RESOURCE_ACTIONS, RESOURCE_KINDS, type ResourceKind } from "./resources.ts";

export const PROJECT_ROLE_LEVELS = ["reader", "triggerer", "owner"] as const;
export type ProjectRoleLevel = (typeof PROJECT_ROLE_LEVELS)[number];

export const PROJECT_ROLE_DOC: Record<ProjectRoleLevel, string> = {
  reader: "Sees everything in the project: queues, scheduler jobs, requests, task runs, alert rules.",
  triggerer: "A reader who may also enqueue jobs, trigger scheduler jobs and start requests.",
  owner: "Every action on every resource of the project: manage, consume, pause, abort, stop, suspend, resume, alert rules.",
};

/** The actions each level adds to the level before it; an owner ends up with every action there is. */
const LEVEL_ADDS: Record<ProjectRoleLevel, { [K in ResourceKind]?: readonly string[] }> = {
  reader: { queues: ["read"], scheduler: ["read"], requests: ["read"], tasks: ["read"], alerts: ["read"] },
  triggerer: { queues: ["enqueue"], scheduler: ["trigger"], requests: ["start"] },
  owner: {
    queues: ["consume", "manage"],
    scheduler: ["manage"],
    requests: ["stop", "suspend", "resume"],
    tasks: ["manage"],
    alerts: ["manage"],
  },
};

/** The role id `admin`: every scope. */
export const ADMIN_ROLE = "admin";

/** `project:<project>:<level>`; throws a RangeError for an invalid project name. */
export function projectRoleId(project: string, level: ProjectRoleLevel): string {
  if (!isValidProject(project)) throw new RangeError(`"${project}" is not a valid project name`);
  return `project:${project}:${level}`;
}

/**
 * The scopes of a predefined role, or null when `roleId` is none: `admin` →
 * `["*"]`; `project:demo:reader` → `queues:read:demo/*`, `scheduler:read:demo/*`, ….
 * An invalid project name or unknown level is null.
 */
export function predefinedRole(roleId: string): string[] | null {
  if (roleId === ADMIN_ROLE) return ["*"];
  const match = /^project:([^:]*):([^:]*)$/.exec(roleId);
  if (!match || !isValidProject(match[1]!)) return null;
  const level = PROJECT_ROLE_LEVELS.find((l) => l === match[2]);
  return level === undefined ? null : levelScopes(level, `${match[1]}/*`);
}

/**
 * The scopes of `level` over `target`: `demo/*` for one project, or `de*`
 * for every project whose name starts with `de` (`*` for every project).
 */
function levelScopes(level: ProjectRoleLevel, target: string): string[] {
  return LEVEL_SCOPE_PREFIXES[level].map((prefix) => prefix + target);
}

/** `queues:read:`, … for each level, its own actions and those of the levels below (computed once: it is hot). */
const LEVEL_SCOPE_PREFIXES = Object.fromEntries(PROJECT_ROLE_LEVELS.map((level, i) => {
  const levels = PROJECT_ROLE_LEVELS.slice(0, i + 1);
  const prefixes = RESOURCE_KINDS.flatMap((kind) =>
    RESOURCE_ACTIONS[kind]
      .filter((action) => levels.some((l) => LEVEL_ADDS[l][kind]?.includes(action)))
      .map((action) => `${kind}:${action}:`));
  return [level, prefixes];
})) as Record<ProjectRoleLevel, string[]>;

/** Project names may be empty here: a prefix of some valid name. */
const PROJECT_PREFIX = /^[A-Za-z0-9_-]{0,64}$/;

/**
 * The predefined roles as a RoleResolver, stars included: `assume:project:demo:*`
 * reaches demo's three roles (owner's scopes), `assume:project:de*` every project
 * starting with `de` (`queues:read:de*`, …), and `assume:*` or `*` reaches
 * `admin`, so everything.
 */
export const predefinedRoles: RoleResolver = {
  grants(heldScope) {
    const pattern = assumedRoles(heldScope);
    if (pattern === null) return [];
    if (!pattern.endsWith("*")) return predefinedRole(pattern) ?? [];
    const rest = pattern.slice(0, -1);
    if (ADMIN_ROLE.startsWith(rest)) return ["*"];
    if ("project:".startsWith(rest)) return levelScopes("owner", "*");
    if (!rest.startsWith("project:")) return [];
    const tail = rest.slice("project:".length);
    const colon = tail.indexOf(":");
    if (colon === -1) return PROJECT_PREFIX.test(tail) ? levelScopes("owner", `${tail}*`) : [];
    const project = tail.slice(0, colon);
    const levelPrefix = tail.slice(colon + 1);
    if (!isValidProject(project)) return [];
    // levels nest, so the highest level the star reaches grants the lot
    const highest = PROJECT_ROLE_LEVELS.findLast((l) => l.startsWith(levelPrefix));
    return highest === undefined ? [] : levelScopes(highest, `${project}/*`);
  },
};
