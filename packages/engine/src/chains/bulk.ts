import type { Caller, EngineContext } from "../context.ts";
import { HourglassError } from "../errors.ts";
import { appendEvents } from "../events/sql/appendEvents.ts";
import { requestFilterSql, type RequestFilter } from "./request-filter.ts";
import { STOPPABLE_REQUEST_STATES, type RequestState } from "./states.ts";

/** What an operator does to many requests at once; each is the one-request transition of Requests. */
export const REQUEST_BULK_ACTIONS = ["stop", "suspend", "resume"] as const;
export type RequestBulkAction = (typeof REQUEST_BULK_ACTIONS)[number];

/** The states each action moves a request from (the others are skipped, saying so). */
const FROM: Record<RequestBulkAction, readonly RequestState[]> = {
  stop: STOPPABLE_REQUEST_STATES,
  suspend: ["RUNNING"],
  resume: ["SUSPENDED"],
};
const PAST: Record<RequestBulkAction, string> = { stop: "stopped", suspend: "suspended", resume: "resumed" };

/** The one-request transitions a bulk action applies (Requests), each its own guarded transaction. */
export type RequestTransitions = Record<RequestBulkAction, (caller: Caller, id: string, reason: string) => Promise<unknown>>;

/** Requests a batch left alone, grouped by why (a few ids as examples). */
export interface SkippedRequests {
  reason: string;
  count: number;
  ids: string[];
}

export interface RequestBulkInput {
  /** Exactly these requests (a selection)… */
  ids?: string[];
  /** …or every request matching the filter, newest first, `limit` per batch. */
  filter?: RequestFilter;
  reason: string;
  limit: number;
  /** The `next` of the batch before (filters only). */
  after?: string;
}

interface Row { id: string; project: string; type: string; state: string; created_at: Date }

const cursorOf = (r: Row) => `${r.created_at.getTime()}.${r.id}`;

/**
 * Stop, suspend or resume many requests: a selection, or a filter walked
 * newest first in batches (a keyset cursor: `created_at` never changes, so a
 * request is visited once whatever the action does to its state). A request
 * not in a state the action moves from is skipped with its state as the
 * reason, as is one that changed state meanwhile (its transition's guard
 * refused it). Each batch that moved any writes one summary per project
 * (entity `project`, action `requests_stopped` …) after its requests' own
 * events, with the caller, the reason, the filter or selection, the count and
 * the skipped.
 */
export class RequestBulk {
  constructor(private readonly ctx: EngineContext, private readonly transitions: RequestTransitions) {}

  /** A capped count of the requests a filter matches ("10,000+" when `capped`). */
  async count(filter: RequestFilter, cap: number): Promise<{ count: number; capped: boolean }> {
    const values: unknown[] = [];
    const where = requestFilterSql(filter, values);
    values.push(cap);
    const r = await this.ctx.db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM request ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
        LIMIT $${values.length}) capped`, values);
    const count = r.rows[0]!.n;
    return { count, capped: count >= cap };
  }

  async act(caller: Caller, action: RequestBulkAction, input: RequestBulkInput) {
    const rows = input.ids ? await this.selection(input.ids) : await this.page(input.filter!, input.limit, input.after);
    const groups = new Map<string, string[]>();
    const skip = (reason: string, id: string) => groups.set(reason, [...(groups.get(reason) ?? []), id]);
    const done: Row[] = [];
    for (const id of input.ids ?? []) if (!rows.some((r) => r.id === id)) skip("no such request", id);
    for (const row of rows) {
      if (!FROM[action].includes(row.state as RequestState)) {
        skip(`${row.state}: only ${FROM[action].join(", ")} requests can be ${PAST[action]}`, row.id);
        continue;
      }
      try {
        await this.transitions[action](caller, row.id, input.reason);
        done.push(row);
      } catch (err) {
        if (!(err instanceof HourglassError && err.code === "CONFLICT")) throw err;
        skip(`changed meanwhile: ${err.message.replace(`request ${row.id} is `, "now ")}`, row.id);
      }
    }
    const skipped: SkippedRequests[] = [...groups].map(([reason, ids]) => ({ reason, count: ids.length, ids: ids.slice(0, 5) }));
    await this.summarize(caller, action, input, done, skipped);
    const next = !input.ids && rows.length === input.limit ? cursorOf(rows[rows.length - 1]!) : null;
    return { done: done.length, skipped, next };
  }

  private async selection(ids: string[]): Promise<Row[]> {
    const r = await this.ctx.db.sql.query<Row>(
      `SELECT id, project, type, state::text AS state, created_at FROM request WHERE id = ANY($1::text[])
        ORDER BY created_at DESC, id DESC`, [[...new Set(ids)]]);
    return r.rows;
  }

  private async page(filter: RequestFilter, limit: number, after: string | undefined): Promise<Row[]> {
    const values: unknown[] = [];
    const where = requestFilterSql(filter, values);
    if (after !== undefined) {
      const dot = after.indexOf(".");
      values.push(new Date(Number(after.slice(0, dot))), after.slice(dot + 1));
      where.push(`(created_at, id) < ($${values.length - 1}::timestamptz, $${values.length}::text)`);
    }
    values.push(limit);
    const r = await this.ctx.db.sql.query<Row>(
      `SELECT id, project, type, state::text AS state, created_at FROM request
        ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
        ORDER BY created_at DESC, id DESC LIMIT $${values.length}`, values);
    return r.rows;
  }

  private async summarize(
    caller: Caller, action: RequestBulkAction, input: RequestBulkInput, done: Row[], skipped: SkippedRequests[],
  ): Promise<void> {
    const projects = [...new Set(done.map((r) => r.project))];
    const what = input.ids ? { selection: input.ids.length } : { filter: { ...input.filter, limit: input.limit } };
    await appendEvents(this.ctx.db.sql, projects.map((project) => ({
      at: this.ctx.clock.now(), project, entityKind: "project" as const, entityId: project, action: `requests_${PAST[action]}`,
      reason: input.reason, actor: caller.id,
      payload: {
        ...what, count: done.filter((r) => r.project === project).length,
        types: [...new Set(done.filter((r) => r.project === project).map((r) => r.type))],
        skipped: skipped.map((s) => ({ reason: s.reason, count: s.count })),
      },
    })));
  }
}
