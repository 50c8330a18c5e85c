import type { ScopeExpression } from "../access/expressions.ts";
import { ACCESS_MANAGE, EXECUTOR_HTTP, EXECUTOR_SHELL, scope, type ResourceAction } from "../access/resources.ts";
import { HourglassError } from "../errors.ts";
import { checkQueueName, parseJobDescriptor } from "../queue/descriptors.ts";
import type { Access, ResourceCheck } from "./access-check.ts";

/**
 * The access each kind of procedure declares: which resource it touches and
 * what it needs there. A resource is seen through its `read` scope; one the
 * caller cannot read answers with the same not-found error as a missing one.
 */

/** A scope for a name that cannot be put in a scope (it cannot exist) is null, read as "missing". */
function scoped(build: () => string): string | null {
  try {
    return build();
  } catch (err) {
    if (err instanceof RangeError) return null;
    throw err;
  }
}

const queueNotFound = (name: string) => () => new HourglassError("QUEUE_NOT_FOUND", `queue "${name}" does not exist`);

/** The scopes an executor of this kind needs besides the queue's own (code that runs on the worker host). */
export function executorScopes(executor: { kind?: string } | null | undefined): ScopeExpression[] {
  if (executor?.kind === "shell") return [EXECUTOR_SHELL];
  if (executor?.kind === "http") return [EXECUTOR_HTTP];
  return [];
}

type Ctx = Parameters<Extract<Access, { kind: "resource" }>["resolve"]>[0];

async function queueCheck(ctx: Ctx, name: string, action: ResourceAction<"queues">, extra: ScopeExpression[] = []): Promise<ResourceCheck> {
  checkQueueName(name); // a malformed name is a 400 with PinLater's code, which says nothing about what exists
  const project = await ctx.engine.access.projects.queue(name);
  const read = project === null ? null : scoped(() => scope.queues("read", project, name));
  const need = read === null ? undefined : { AllOf: [scope.queues(action, project!, name), ...extra] };
  return { read, need, notFound: queueNotFound(name) };
}

/** A queue named by `name(input)`. */
type ResourceAccess<I> = Extract<Access<I>, { kind: "resource" }>;

export const onQueue = <I>(
  action: ResourceAction<"queues">,
  name: (input: I) => string,
  extra?: (input: I) => ScopeExpression[],
): ResourceAccess<I> => ({
  kind: "resource",
  resolve: (ctx, input) => queueCheck(ctx, name(input), action, extra?.(input)),
});

/** The queue of a job descriptor ("<queue>:<id>"). */
export const onJob = <I>(action: ResourceAction<"queues">, descriptor: (input: I) => string): Access<I> =>
  onQueue(action, (input) => parseJobDescriptor(descriptor(input)).queueName);

/**
 * Creating a queue: manage (and the executor's scope) in the project it will
 * belong to. Creation is idempotent, so a name taken in a project the caller
 * cannot see is refused as a conflict, without saying more.
 */
export const createQueueAccess: Access<{ name: string; project: string; executor?: { kind: string } | null }> = {
  kind: "resource",
  resolve: async (ctx, input) => {
    checkQueueName(input.name);
    const existing = await ctx.engine.access.projects.queue(input.name);
    const project = existing ?? input.project;
    const read = scoped(() => scope.queues("read", project, input.name));
    if (existing !== null && (read === null || !ctx.caller.scopes.satisfies(read))) {
      throw new HourglassError("CONFLICT", `the queue name "${input.name}" is taken`);
    }
    if (read === null) throw new HourglassError("INVALID_ARGUMENT", `"${project}" is not a valid project name`);
    // a queue that does not exist yet has nothing to hide: a caller without the scope is told which one it lacks
    return {
      read: existing === null ? { AllOf: [] } : read,
      need: { AllOf: [scope.queues("manage", project, input.name), ...executorScopes(input.executor)] },
      notFound: queueNotFound(input.name),
    };
  },
};

const jobNotFound = (key: string) => () => new HourglassError("JOB_NOT_FOUND", `no such job: ${key}`);

function schedulerJobCheck(ctx: Ctx, key: string, action: ResourceAction<"scheduler">): ResourceCheck {
  const project = ctx.engine.access.projects.schedulerJob(key);
  const name = project === null ? "" : key.slice(project.length + 1);
  const read = project === null ? null : scoped(() => scope.scheduler("read", project, name));
  return { read, need: read === null ? undefined : scope.scheduler(action, project!, name), notFound: jobNotFound(key) };
}

/** A scheduler job by its key ("<project>/<job>"). */
export const onSchedulerJob = <I>(action: ResourceAction<"scheduler">, key: (input: I) => string): Access<I> => ({
  kind: "resource",
  resolve: async (ctx, input) => schedulerJobCheck(ctx, key(input), action),
});

/** Several scheduler jobs at once (emitTriggers): any invisible one reads as unknown, like the service's own check. */
export const onSchedulerJobs = <I>(action: ResourceAction<"scheduler">, keys: (input: I) => string[]): Access<I> => ({
  kind: "resource",
  resolve: async (ctx, input) => {
    const checks = [...new Set(keys(input))].map((k) => ({ key: k, check: schedulerJobCheck(ctx, k, action) }));
    const hidden = checks.filter(({ check }) => check.read === null || !ctx.caller.scopes.satisfies(check.read as string));
    const notFound = () => new HourglassError("JOB_NOT_FOUND", `no such job: ${hidden.map((h) => h.key).join(", ")}; no trigger was emitted`);
    if (hidden.length > 0) return { read: null, notFound };
    return { read: { AllOf: [] }, need: { AllOf: checks.map(({ check }) => check.need!) }, notFound };
  },
});

const requestNotFound = (id: string) => () => new HourglassError("REQUEST_NOT_FOUND", `no such request: ${id}`);

/** A request by id. */
export const onRequest = <I>(action: ResourceAction<"requests">, id: (input: I) => string): Access<I> => ({
  kind: "resource",
  resolve: async (ctx, input) => {
    const requestId = id(input);
    const r = await ctx.engine.access.projects.request(requestId);
    const read = r === null ? null : scoped(() => scope.requests("read", r.project, r.type));
    return { read, need: read === null ? undefined : scope.requests(action, r!.project, r!.type), notFound: requestNotFound(requestId) };
  },
});

/**
 * Many requests at once (bulk stop / suspend / resume): a selection needs
 * `action` on each request's type, and any request the caller cannot see
 * reads as missing (nothing is done); a filter names its type, checked as
 * onRequestType.
 */
export const onRequests = <I extends { ids?: string[]; filter?: { type: string } }>(
  action: ResourceAction<"requests">,
): Access<I> => ({
  kind: "resource",
  resolve: async (ctx, input) => {
    if (input.filter) return onRequestType<I>(action, (i) => i.filter!.type).resolve(ctx, input);
    const ids = [...new Set(input.ids ?? [])];
    const found = await Promise.all(ids.map(async (id) => ({ id, r: await ctx.engine.access.projects.request(id) })));
    const read = (r: { project: string; type: string }) => scoped(() => scope.requests("read", r.project, r.type));
    const hidden = found.filter(({ r }) => r === null || read(r) === null || !ctx.caller.scopes.satisfies(read(r)!));
    const notFound = () => new HourglassError("REQUEST_NOT_FOUND", `no such request: ${hidden.map((h) => h.id).join(", ")}; nothing was done`);
    if (hidden.length > 0) return { read: null, notFound };
    const needs = [...new Set(found.map(({ r }) => scope.requests(action, r!.project, r!.type)))];
    return { read: { AllOf: [] }, need: { AllOf: needs }, notFound };
  },
});

/** A request type (creating a request): an unknown or invisible type is REQUEST_INVALID, as an unknown one always was. */
export const onRequestType = <I>(action: ResourceAction<"requests">, type: (input: I) => string): ResourceAccess<I> => ({
  kind: "resource",
  resolve: async (ctx, input) => {
    const t = type(input);
    const project = await ctx.engine.access.projects.requestType(t);
    const read = project === null ? null : scoped(() => scope.requests("read", project, t));
    const notFound = () => new HourglassError("REQUEST_INVALID", `no such request type: ${t}`);
    return { read, need: read === null ? undefined : scope.requests(action, project!, t), notFound };
  },
});

export const anyone: Access = { kind: "anyone" };
export const signedIn: Access = { kind: "signedIn" };
export const manageAccess: Access = { kind: "scopes", need: () => ACCESS_MANAGE };
