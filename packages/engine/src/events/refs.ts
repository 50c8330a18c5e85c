import type { Sql } from "@hourglass/db";
import type { EventRefs } from "./feed-match.ts";
import { jobsOfInvocations, queuesOfJobs, typesOfRequests } from "./sql/eventRefs.ts";
import type { EventInfo } from "./types.ts";

const CACHE_SIZE = 20_000;
const NUMERIC = /^\d{1,19}$/;

/** A map that forgets its oldest entries beyond `max`. Only for values that never change. */
class BoundedMap extends Map<string, string> {
  constructor(private readonly max: number) {
    super();
  }

  override set(key: string, value: string): this {
    if (this.size >= this.max && !this.has(key)) this.delete(this.keys().next().value!);
    return super.set(key, value);
  }
}

/**
 * Looks up the references events do not carry, for a whole batch at once: a
 * queue job's queue, an invocation's job, a chain job's request
 * and a request's type. None of them ever changes for a given id, so answers
 * are cached; a row that is gone resolves to null (not cached).
 */
export class EventRefResolver {
  private readonly queues = new BoundedMap(CACHE_SIZE);
  private readonly invocationJobs = new BoundedMap(CACHE_SIZE);
  private readonly types = new BoundedMap(CACHE_SIZE);

  constructor(private readonly db: Sql) {}

  /** Fills, in place, every reference of `events` that `refs` (by event id) leaves undefined. */
  async fill(events: EventInfo[], refs: Map<string, EventRefs>): Promise<void> {
    const of = (e: EventInfo) => refs.get(e.id)!;
    const wanting = (name: keyof EventRefs, kind: string) =>
      events.filter((e) => e.entityKind === kind && of(e)[name] === undefined);
    const byId = (e: EventInfo) => (NUMERIC.test(e.entityId) ? e.entityId : null);

    await this.resolve(wanting("queue", "queue_job"), byId, this.queues, (ids) => queuesOfJobs(this.db, ids),
      (e, v) => (of(e).queue = v));
    await this.resolve(wanting("job", "invocation"), byId, this.invocationJobs, (ids) => jobsOfInvocations(this.db, ids),
      (e, v) => (of(e).job = v));

    // a chain job's entity id starts with its request's id ("<request>/<job>" or "<request>:<job>")
    for (const e of wanting("request", "chain_job")) {
      const cut = e.entityId.search(/[/:]/);
      of(e).request = cut > 0 ? e.entityId.slice(0, cut) : null;
    }
    const typed = [...wanting("requestType", "request"), ...wanting("requestType", "chain_job")];
    await this.resolve(typed, (e) => of(e).request ?? null, this.types, (ids) => typesOfRequests(this.db, ids),
      (e, v) => (of(e).requestType = v));
  }

  /**
   * Sets each event's reference from the cache, after one lookup of the keys
   * not in it. A null key means there is nothing to look up by: null is set.
   */
  private async resolve(
    events: EventInfo[],
    key: (e: EventInfo) => string | null,
    cache: BoundedMap,
    lookup: (keys: string[]) => Promise<Map<string, string>>,
    set: (e: EventInfo, value: string | null) => void,
  ): Promise<void> {
    if (events.length === 0) return;
    const wanted = new Set<string>();
    for (const e of events) {
      const k = key(e);
      if (k !== null && !cache.has(k)) wanted.add(k);
    }
    if (wanted.size > 0) for (const [k, v] of await lookup([...wanted])) cache.set(k, v);
    for (const e of events) {
      const k = key(e);
      set(e, k === null ? null : (cache.get(k) ?? null));
    }
  }
}
