import type { AlertFact } from "./facts.ts";

/**
 * The collapse window, pure. A rule's first firing opens a window of the
 * rule's length; every firing until it closes joins it, and the window is
 * sent as one notification when it closes, saying how many firings it holds.
 * A firing at or after the close opens the next window. A window of 0 sends
 * every firing alone, at once.
 *
 * At most one window per rule is open (a COLLECTING delivery): when a batch
 * spans several windows (the evaluator catching up), the earlier ones are
 * born closed.
 */

/** Firings a notification lists in full; the rest are counted. */
export const SAMPLE_LIMIT = 20;

/** A firing as a notification lists it. */
export interface FiringDetail {
  at: number;
  subject: { kind: string; id: string };
  target: string;
  text: string;
  data: Record<string, string | number | boolean | null>;
}

export function detailOf(fact: AlertFact): FiringDetail {
  return { at: fact.at, subject: fact.subject, target: fact.target, text: fact.text, data: fact.data };
}

/** A rule's open window as stored. */
export interface OpenWindow {
  id: string;
  count: number;
  firstAt: number;
  lastAt: number;
  sendAt: number;
  sample: FiringDetail[];
}

/** A window to store: joined (the open one, grown), or new. */
export interface WindowWrite {
  count: number;
  firstAt: number;
  lastAt: number;
  sendAt: number;
  sample: FiringDetail[];
  /** Closed already (its end has passed in this batch): stored SENDING, not COLLECTING. */
  closed: boolean;
}

export interface CollapsePlan {
  /** The open window's new content, or null when nothing joined it. */
  joined: (WindowWrite & { id: string }) | null;
  /** New windows, oldest first; only the last may be open. */
  opened: WindowWrite[];
}

/**
 * Assigns a rule's firings (any order; sorted by time here) to windows.
 * `open` is the rule's open window, if any; `windowMs` the rule's length.
 * A firing joins the current window while it is before the window's end;
 * otherwise it closes that window and opens the next.
 */
export function collapse(open: OpenWindow | null, firings: FiringDetail[], windowMs: number): CollapsePlan {
  const plan: CollapsePlan = { joined: null, opened: [] };
  let current: { w: WindowWrite; id: string | null; changed: boolean } | null =
    open && { w: { ...open, sample: [...open.sample], closed: false }, id: open.id, changed: false };
  const settle = (c: NonNullable<typeof current>, closed: boolean) => {
    c.w.closed = closed;
    if (c.id === null) plan.opened.push(c.w);
    else if (c.changed || closed) plan.joined = { ...c.w, id: c.id };
  };
  for (const f of [...firings].sort((a, b) => a.at - b.at)) {
    if (current && f.at < current.w.sendAt) {
      current.w.count++;
      current.w.lastAt = Math.max(current.w.lastAt, f.at);
      if (current.w.sample.length < SAMPLE_LIMIT) current.w.sample.push(f);
      current.changed = true;
      continue;
    }
    if (current) settle(current, true);
    const w: WindowWrite = { count: 1, firstAt: f.at, lastAt: f.at, sendAt: f.at + windowMs, sample: [f], closed: false };
    current = { w, id: null, changed: true };
  }
  if (current) settle(current, current.id === null && windowMs === 0);
  return plan;
}
