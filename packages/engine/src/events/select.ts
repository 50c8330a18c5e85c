import type { HeldScopes } from "../access/scopes.ts";
import { decide, decideFinally, knownRefs, missingRefs, type Can, type EventFilter, type EventRefs } from "./feed-match.ts";
import type { EventRefResolver } from "./refs.ts";
import type { EventInfo } from "./types.ts";

/**
 * What one stream takes: its filters (any of them; none = everything) and
 * what its caller may see. The caller's scopes can be replaced while the
 * stream runs (it re-authenticates); decisions are memoized per scope.
 */
export class EventSelector {
  private memo = new Map<string, boolean>();

  constructor(readonly filters: EventFilter[], private scopes: HeldScopes) {}

  setScopes(scopes: HeldScopes): void {
    this.scopes = scopes;
    this.memo = new Map();
  }

  readonly can: Can = (build) => {
    let required: string;
    try {
      required = build();
    } catch {
      return false; // a name no scope can hold is visible to no one (as in the API's Visibility)
    }
    let held = this.memo.get(required);
    if (held === undefined) {
      held = this.scopes.satisfies(required);
      if (this.memo.size > 10_000) this.memo.clear();
      this.memo.set(required, held);
    }
    return held;
  };
}

/** What one selector took from a batch: the events, oldest first, and which of its filters they matched. */
export interface Selection {
  events: EventInfo[];
  topics: Set<number>;
}

/**
 * Decides a batch for several selectors at once: references the events do
 * not carry are looked up once for the batch (and only for events some
 * selector cannot decide without them).
 */
export async function selectEvents(
  events: EventInfo[],
  selectors: EventSelector[],
  resolver: EventRefResolver,
): Promise<Selection[]> {
  const refs = new Map<string, EventRefs>(events.map((e) => [e.id, knownRefs(e)]));
  const decisions = selectors.map((s) => events.map((e) => decide(s.filters, s.can, e, refs.get(e.id)!)));
  const undecided = events.filter((e, i) =>
    decisions.some((d) => d[i] === undefined) && missingRefs(e, refs.get(e.id)!).length > 0);
  if (undecided.length > 0) await resolver.fill(undecided, refs);
  return selectors.map((s, si) => {
    const taken: EventInfo[] = [];
    const topics = new Set<number>();
    events.forEach((e, i) => {
      const matched = decisions[si]![i] ?? decideFinally(s.filters, s.can, e, refs.get(e.id)!);
      if (matched.length === 0) return;
      taken.push(e);
      for (const t of matched) topics.add(t);
    });
    return { events: taken, topics };
  });
}
