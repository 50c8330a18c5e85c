// What the signed-in caller may do, decided in the browser only to choose
// which buttons to offer: the API checks every call again and refuses what
// is not allowed. Pure (whoami's scopes in, answers out) so it is tested
// without React; useCan (can.ts) feeds it.
import { HeldScopes, missingScopesMessage, scope, type ResourceAction, type ScopeExpression } from "@hourglass/engine/access";

/** What the dashboard asks before it offers an action. */
export interface Permissions {
  /** False until whoami has answered; until then nothing is offered. */
  ready: boolean;
  /** Whether the caller's scopes satisfy `need`. */
  allows(need: ScopeExpression): boolean;
  /** Why `need` is not satisfied ("missing scope …"), for a disabled button's title; undefined when it is. */
  missing(need: ScopeExpression): string | undefined;
}

/** An expression nothing satisfies: a resource whose name cannot be put in a scope is out of reach. */
const NOTHING: ScopeExpression = { AnyOf: [] };

/** `build()`, or NOTHING when the builder refuses the name (RangeError): such a resource cannot be granted. */
function scoped(build: () => string): ScopeExpression {
  try {
    return build();
  } catch (err) {
    if (err instanceof RangeError) return NOTHING;
    throw err;
  }
}

/** The scope each action needs, from the resource as the API returns it. */
export const need = {
  /** A queue (getQueue, getQueueSummary and getQueueSummaries carry `project`). */
  queue: (action: ResourceAction<"queues">, q: { project: string; name: string }) => scoped(() => scope.queues(action, q.project, q.name)),
  /** A scheduler job (JobSummary: `project` and `id`, its key being "<project>/<id>"). */
  schedulerJob: (action: ResourceAction<"scheduler">, j: { project: string; id: string }) => scoped(() => scope.scheduler(action, j.project, j.id)),
  /** A request, or a request type (requests.get / find / specs carry `project` and the type). */
  request: (action: ResourceAction<"requests">, r: { project: string; type: string }) => scoped(() => scope.requests(action, r.project, r.type)),
  /** A project's alert rules. */
  alerts: (action: ResourceAction<"alerts">, project: string) => scoped(() => scope.alerts(action, project)),
};

/** Administration of users, tokens and roles (the admin role). */
export { ACCESS_MANAGE } from "@hourglass/engine/access";

const CHECKING = "checking your permissions…";

/** Permissions from whoami's (expanded) scopes; `undefined` while it loads, when nothing is allowed. */
export function permissionsOf(scopes: readonly string[] | undefined): Permissions {
  if (scopes === undefined) return { ready: false, allows: () => false, missing: () => CHECKING };
  const held = new HeldScopes(scopes);
  return {
    ready: true,
    allows: (expr) => missingScopesMessage(held, expr) === null,
    missing: (expr) => missingScopesMessage(held, expr) ?? undefined,
  };
}
