/**
 * Which events a subscriber of the live feed (or a stream's catch-up) takes:
 * pure decisions over one event, its resolved references and the caller's
 * scopes. A decision that needs a reference the event does not carry (a
 * queue job's queue, an invocation's job, a request's type) answers
 * `undefined`; the host looks those up for a whole batch at once
 * (refs.ts) and decides again.
 */
import { ACCESS_MANAGE, scope } from "../access/resources.ts";
import type { Cursor } from "./cursor.ts";
import type { EventInfo } from "./types.ts";

/** What a stream asks for. Every field narrows; an absent one matches anything. */
export interface EventFilter {
  /** Any of these projects. */
  projects?: string[];
  /** Any of these entity kinds (ENTITY_KINDS). */
  entityKinds?: string[];
  entityId?: string;
  /** Any of these actions ("enqueued", "acked", "paused", …). */
  actions?: string[];
  /** Any of these target states of a transition (`to`). */
  to?: string[];
  /** Events of this queue: its `queue` events and its jobs' `queue_job` events. */
  queue?: string;
  /** Events of this scheduler job ("<project>/<job>"): its `scheduler_job`, `invocation` and `trigger` events. */
  job?: string;
  /** Events of this request: its `request` events and its chain jobs' `chain_job` events. */
  request?: string;
}

/**
 * What an event refers to beyond its own entity. `undefined`: not known yet
 * (look it up); `null`: there is none (the kind has no such reference, or the
 * row is gone).
 */
export interface EventRefs {
  queue?: string | null;
  job?: string | null;
  request?: string | null;
  requestType?: string | null;
}

export type RefName = keyof EventRefs;

const text = (v: unknown) => (typeof v === "string" && v.length > 0 ? v : undefined);

/**
 * The references an event gives by itself: its own entity (a trigger's id
 * starts with its job's key), and what writers put in its payload (`queue`,
 * `job`, `request` / `requestId`, `type`). References its kind cannot have
 * are null.
 */
export function knownRefs(e: EventInfo): EventRefs {
  const p = e.payload ?? {};
  switch (e.entityKind) {
    case "queue":
      return { queue: e.entityId, job: null, request: null, requestType: null };
    case "queue_job":
      return { queue: text(p.queue), job: null, request: null, requestType: null };
    case "scheduler_job":
      return { queue: null, job: e.entityId, request: null, requestType: null };
    case "invocation":
      return { queue: null, job: text(p.job), request: null, requestType: null };
    case "trigger": {
      // "<project>/<job>:<trigger id>" (scheduler/trigger-states.ts); job keys hold no ':'
      const colon = e.entityId.indexOf(":");
      const job = colon > 0 ? e.entityId.slice(0, colon) : (text(p.job) ?? null);
      return { queue: null, job, request: null, requestType: null };
    }
    case "request":
      return { queue: null, job: null, request: e.entityId, requestType: text(p.type) };
    case "chain_job":
      return { queue: null, job: null, request: text(p.requestId) ?? text(p.request), requestType: text(p.type) };
    default:
      return { queue: null, job: null, request: null, requestType: null };
  }
}

/** Whether the event passes the filter: undefined when that depends on a reference not known yet. */
export function filterMatches(f: EventFilter, e: EventInfo, refs: EventRefs): boolean | undefined {
  if (f.projects && !f.projects.includes(e.project)) return false;
  if (f.entityKinds && !f.entityKinds.includes(e.entityKind)) return false;
  if (f.entityId !== undefined && f.entityId !== e.entityId) return false;
  if (f.actions && !f.actions.includes(e.action)) return false;
  if (f.to && (e.to === null || !f.to.includes(e.to))) return false;
  let unknown = false;
  for (const name of ["queue", "job", "request"] as const) {
    const want = f[name];
    if (want === undefined) continue;
    const have = refs[name];
    if (have === undefined) unknown = true;
    else if (have !== want) return false;
  }
  return unknown ? undefined : true;
}

/** Whether the caller holds `required` (a scope no name can be put in is held only through `*`, as in Visibility). */
export type Can = (build: () => string) => boolean;

/**
 * Whether a caller may see the event: the read scope of the resource it is
 * about, in its project. A queue job is seen through its queue, an invocation
 * or trigger through its job, a chain job through its request's type; a
 * caller who reads the whole project needs no lookup; an alert rule through
 * the project's alerts:read. Identities, tokens,
 * roles and sessions are seen by access administrators; a kind this code does
 * not know by nobody else. Undefined when the decision needs a reference not
 * known yet.
 */
export function visibleTo(can: Can, e: EventInfo, refs: EventRefs): boolean | undefined {
  const p = e.project;
  const through = (whole: () => string, name: string | null | undefined, one: (n: string) => string) => {
    if (can(whole)) return true;
    if (name === undefined) return undefined;
    return name !== null && can(() => one(name));
  };
  switch (e.entityKind) {
    case "queue":
      return can(() => scope.queues("read", p, e.entityId));
    case "queue_job":
      return through(() => scope.queues("read", p), refs.queue, (q) => scope.queues("read", p, q));
    case "scheduler_job":
    case "invocation":
    case "trigger": {
      const key = e.entityKind === "scheduler_job" ? e.entityId : refs.job;
      const name = typeof key === "string" ? (key.startsWith(`${p}/`) ? key.slice(p.length + 1) : null) : key;
      return through(() => scope.scheduler("read", p), name, (j) => scope.scheduler("read", p, j));
    }
    case "project":
      return can(() => scope.scheduler("read", p));
    case "request":
    case "chain_job":
      return through(() => scope.requests("read", p), refs.requestType, (t) => scope.requests("read", p, t));
    case "alert_rule":
      return can(() => scope.alerts("read", p));
    case "task":
    case "task_run":
      // every task event carries its task queue (tasks/sql/common.ts eventPayload)
      return through(() => scope.tasks("read", p), text(e.payload?.taskQueueId) ?? null, (q) => scope.tasks("read", p, q));
    case "task_group":
      return can(() => scope.tasks("read", p));
    default:
      return can(() => ACCESS_MANAGE);
  }
}

/** The references deciding this event may still need, in the order they must be looked up. */
export function missingRefs(e: EventInfo, refs: EventRefs): RefName[] {
  const missing: RefName[] = [];
  if (refs.queue === undefined) missing.push("queue");
  if (refs.job === undefined) missing.push("job");
  if (refs.request === undefined) missing.push("request");
  const typed = e.entityKind === "request" || e.entityKind === "chain_job";
  if (refs.requestType === undefined && typed) missing.push("requestType");
  return missing;
}

/**
 * One subscriber's decision: the indices of its filters the event matches,
 * [] when it does not take it (no filter matches, or the caller may not see
 * it), undefined when a reference must be looked up first. No filters at all
 * means "everything visible" and matches as index 0.
 */
export function decide(filters: EventFilter[], can: Can, e: EventInfo, refs: EventRefs): number[] | undefined {
  const matched: number[] = [];
  let unknown = false;
  if (filters.length === 0) matched.push(0);
  filters.forEach((f, i) => {
    const m = filterMatches(f, e, refs);
    if (m === undefined) unknown = true;
    else if (m) matched.push(i);
  });
  if (matched.length === 0 && !unknown) return [];
  const visible = visibleTo(can, e, refs);
  if (visible === false) return [];
  if (visible === undefined || unknown) return undefined;
  return matched;
}

/** The same decision once every reference that could be looked up was: what is still unknown does not exist. */
export function decideFinally(filters: EventFilter[], can: Can, e: EventInfo, refs: EventRefs): number[] {
  const settled: EventRefs = {
    queue: refs.queue ?? null,
    job: refs.job ?? null,
    request: refs.request ?? null,
    requestType: refs.requestType ?? null,
  };
  return decide(filters, can, e, settled) ?? [];
}

/** (tx, id) order: whether `a` comes after `b`. */
export function cursorAfter(a: Cursor, b: Cursor): boolean {
  return a.tx > b.tx || (a.tx === b.tx && a.id > b.id);
}
