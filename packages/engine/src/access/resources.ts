/**
 * The scopes Hourglass checks, one shape per resource:
 *
 *   <kind>:<action>:<project>/<name>     queues:manage:demo/emails
 *   <kind>:<action>:<project>/*          every queue of project demo
 *
 * Code builds them through `scope.*`, never by concatenation: the project is
 * validated, and a name cannot end the scope in a `*` and ask for a wildcard.
 */
import { assumeScope } from "./roles.ts";
import { isValidScope } from "./scopes.ts";

/** The actions of each resource kind; a predefined project role is a set of them (predefined-roles.ts). */
export const RESOURCE_ACTIONS = {
  queues: ["read", "enqueue", "consume", "manage"],
  scheduler: ["read", "trigger", "manage"],
  requests: ["read", "start", "stop", "suspend", "resume"],
  tasks: ["read", "manage"],
  alerts: ["read", "manage"],
} as const;

export type ResourceKind = keyof typeof RESOURCE_ACTIONS;
export type ResourceAction<K extends ResourceKind = ResourceKind> = (typeof RESOURCE_ACTIONS)[K][number];

export const RESOURCE_KINDS = Object.keys(RESOURCE_ACTIONS) as ResourceKind[];

/** What each action allows, one line each. */
export const RESOURCE_ACTION_DOC: { [K in ResourceKind]: Record<ResourceAction<K>, string> } = {
  queues: {
    read: "See the queue, its counts and its jobs (scanJobs, lookupJobs, getQueueNames).",
    enqueue: "Add jobs to the queue (enqueueJobs).",
    consume: "Work the queue as a consumer: dequeueJobs, ackJobs, checkpointJobs.",
    manage: "Create, update and delete the queue; pause it, purge it, retry its failed jobs.",
  },
  scheduler: {
    read: "See the scheduler job, its state, triggers and invocations.",
    trigger: "Trigger the job now (an invocation outside its schedule).",
    manage: "Pause, resume and abort the job and its invocations.",
  },
  requests: {
    read: "See the request (a chain run), its steps and their output.",
    start: "Start a request of this type.",
    stop: "Stop (cancel) a running request.",
    suspend: "Suspend a running request.",
    resume: "Resume a suspended request.",
  },
  tasks: {
    read: "See task runs and their streamed output.",
    manage: "Kill and retry task runs.",
  },
  alerts: {
    read: "See the project's alert rules (never their secrets) and their delivery history.",
    manage: "Create, edit and delete the project's alert rules; send a test notification.",
  },
};

/** Run `shell` tasks: arbitrary commands on a worker. In no project role; admin only unless granted. */
export const EXECUTOR_SHELL = "executor:shell";
/** Run `http` tasks: requests from inside the network the workers sit in. In no project role; admin only. */
export const EXECUTOR_HTTP = "executor:http";
/** The executor scopes, which a job's owner needs beside the project scopes to define tasks of that kind. */
export const EXECUTOR_SCOPES = [EXECUTOR_SHELL, EXECUTOR_HTTP] as const;
/** Manage users, tokens and roles. Admin only: whoever holds it can grant themselves anything. */
export const ACCESS_MANAGE = "access:manage";

/** Project names as scopes and role ids carry them. */
export const PROJECT_NAME = /^[A-Za-z0-9_-]{1,100}$/;

/** True when `project` is a valid project name. */
export function isValidProject(project: string): boolean {
  return PROJECT_NAME.test(project);
}

/** Resource names: printable ASCII without spaces, and no `*`, which would turn the scope into a wildcard. */
const RESOURCE_NAME = /^[\x21-\x29\x2b-\x7e]+$/;

/**
 * `<kind>:<action>:<project>/<name>`, or `<kind>:<action>:<project>/*` without
 * a name. Throws a RangeError for an unknown action, an invalid project or
 * name, or a scope that would be too long: callers pass names they validated,
 * so a bad one here is a bug, not user input.
 */
export function resourceScope<K extends ResourceKind>(
  kind: K,
  action: ResourceAction<K>,
  project: string,
  name?: string,
): string {
  if (!(RESOURCE_ACTIONS[kind] as readonly string[]).includes(action)) {
    throw new RangeError(`"${action}" is not an action on ${kind}`);
  }
  if (!isValidProject(project)) throw new RangeError(`"${project}" is not a valid project name`);
  if (name !== undefined && !RESOURCE_NAME.test(name)) {
    throw new RangeError(`"${name}" is not a valid ${kind} name for a scope`);
  }
  const built = `${kind}:${action}:${project}/${name ?? "*"}`;
  if (!isValidScope(built)) throw new RangeError(`scope ${built} is longer than scopes may be`);
  return built;
}

/** The scope builders: `scope.queues("manage", "demo", "emails")` → `queues:manage:demo/emails`. */
export const scope = {
  queues: (action: ResourceAction<"queues">, project: string, name?: string) =>
    resourceScope("queues", action, project, name),
  scheduler: (action: ResourceAction<"scheduler">, project: string, job?: string) =>
    resourceScope("scheduler", action, project, job),
  requests: (action: ResourceAction<"requests">, project: string, name?: string) =>
    resourceScope("requests", action, project, name),
  tasks: (action: ResourceAction<"tasks">, project: string, name?: string) =>
    resourceScope("tasks", action, project, name),
  /** Alert rules are scoped per project: `alerts:manage:demo/*`. */
  alerts: (action: ResourceAction<"alerts">, project: string) => resourceScope("alerts", action, project),
  /** `assume:<roleId>`: the scope that grants a role. */
  assume: (roleId: string) => assumeScope(roleId),
};
