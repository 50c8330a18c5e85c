import type { HeldScopes } from "../access/scopes.ts";
import { knownRefs, type EventRefs } from "../events/feed-match.ts";
import type { EventLog } from "../events/log.ts";
import type { EventRefResolver } from "../events/refs.ts";
import { EventSelector, selectEvents } from "../events/select.ts";
import type { EventInfo } from "../events/types.ts";
import type { AuditFilter } from "./schemas.ts";
import { visibleProjects } from "./visible-projects.ts";

/** An event as the audit log shows it, with what its entity belongs to (for a link to its page). */
export interface AuditEvent extends EventInfo {
  refs: {
    /** A queue job's queue. */
    queue: string | null;
    /** An invocation's or trigger's scheduler job ("<project>/<job>"). */
    job: string | null;
    /** A chain job's request. */
    request: string | null;
  };
}

export interface AuditPage {
  /** Newest first. */
  events: AuditEvent[];
  /** Pass as `before` for the next page; null when there are no more. */
  next: string | null;
}

/** Events read from the log per query. */
const BATCH = 500;
/** Events one search reads at most: a caller who may see few of them gets a short page (and `next`), not a long wait. */
const MAX_SCAN = 5_000;

/**
 * The audit log: the event log searched newest first, filtered, showing a
 * caller only the events it may see — the same rule as the event stream
 * (events/feed-match.ts visibleTo: the read scope of the entity's kind in
 * its project; access events only with access:manage). What it may not see
 * is absent, never an error. A page can hold fewer than `limit` events
 * when most of what was read is hidden; `next` says whether to go on.
 */
export class AuditLog {
  constructor(private readonly log: EventLog, private readonly resolver: EventRefResolver) {}

  async search(scopes: HeldScopes, filter: AuditFilter & { before?: string; limit: number }): Promise<AuditPage> {
    const projects = visibleProjects(scopes);
    const asked = filter.project;
    const wanted = asked === undefined ? projects : projects === null || projects.includes(asked) ? [asked] : [];
    if (wanted !== null && wanted.length === 0) return { events: [], next: null };
    const selector = new EventSelector([], scopes);
    const found: EventInfo[] = [];
    let before = filter.before === undefined ? undefined : BigInt(filter.before);
    for (let scanned = 0; ;) {
      const page = await this.log.search({
        beforeId: before, limit: Math.min(BATCH, Math.max(filter.limit - found.length, 50)), projects: wanted,
        actor: filter.actor, entityKind: filter.entityKind, entityId: filter.entityId, action: filter.action,
        since: filter.since === undefined ? undefined : new Date(filter.since),
        until: filter.until === undefined ? undefined : new Date(filter.until),
        operatorOnly: filter.operatorOnly,
      });
      const [taken] = await selectEvents(page.events, [selector], this.resolver);
      const visible = new Set(taken!.events.map((e) => e.id));
      for (const [i, e] of page.events.entries()) {
        before = BigInt(e.id);
        if (!visible.has(e.id)) continue;
        found.push(e);
        if (found.length === filter.limit) {
          const more = i < page.events.length - 1 || page.next !== null;
          return { events: await this.withRefs(found), next: more ? e.id : null };
        }
      }
      scanned += page.events.length;
      if (page.next === null) return { events: await this.withRefs(found), next: null };
      if (scanned >= MAX_SCAN) return { events: await this.withRefs(found), next: String(before) };
    }
  }

  /** Every matching event the caller may see, newest first, one bounded page at a time (the export). */
  async *all(scopes: HeldScopes, filter: AuditFilter, pageSize = 500): AsyncGenerator<AuditEvent[]> {
    let before: string | undefined;
    for (;;) {
      const page = await this.search(scopes, { ...filter, before, limit: pageSize });
      if (page.events.length > 0) yield page.events;
      if (page.next === null) return;
      before = page.next;
    }
  }

  /** What each event's entity belongs to, looked up for the page at once where the event does not say. */
  private async withRefs(events: EventInfo[]): Promise<AuditEvent[]> {
    const refs = new Map<string, EventRefs>(events.map((e) => [e.id, knownRefs(e)]));
    await this.resolver.fill(events, refs);
    return events.map((e) => {
      const r = refs.get(e.id)!;
      return { ...e, refs: { queue: r.queue ?? null, job: r.job ?? null, request: r.request ?? null } };
    });
  }
}
