import type { Sql } from "@hourglass/db";
import type { EngineContext } from "../context.ts";
import { START, parseCursor, type Cursor } from "./cursor.ts";
import type { EntityKind } from "./kinds.ts";
import { appendEvents } from "./sql/appendEvents.ts";
import type { EventRow } from "./sql/columns.ts";
import { deleteOldEvents } from "./sql/deleteOldEvents.ts";
import { countEntityEvents, entityEvents } from "./sql/entityEvents.ts";
import { endCursor, followEvents, type FollowFilter } from "./sql/followEvents.ts";
import { searchEvents, type EventSearch } from "./sql/searchEvents.ts";
import type { EventInfo, EventInput } from "./types.ts";

export const DEFAULT_RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;
const PRUNE_BATCH = 5_000;

export function toEventInfo(r: EventRow): EventInfo {
  return {
    id: r.id,
    cursor: r.cursor,
    atTimestampMillis: r.at.getTime(),
    project: r.project,
    entityKind: r.entity_kind,
    entityId: r.entity_id,
    action: r.action,
    from: r.from_state,
    to: r.to_state,
    reason: r.reason,
    actor: r.actor,
    payload: r.payload,
  };
}

export interface HistoryPage {
  events: EventInfo[];
  /** Pass as `after` for the next page; null when this page is the last. */
  next: string | null;
  total: number;
}

/**
 * The event log. Writers append on the transaction that makes their change
 * (`append(tx, …)`, or an INSERT in the same statement for the hot path);
 * everything else here reads. Access checks belong to the API; `projects`
 * arguments say what a caller may see.
 */
export class EventLog {
  constructor(private readonly ctx: EngineContext) {}

  /** Appends events on `sql`, which must be the transaction that makes the change they record. */
  append(sql: Sql, events: EventInput[]): Promise<void> {
    return appendEvents(sql, events);
  }

  /** One entity's history, oldest first, paginated and complete. */
  async history(kind: EntityKind, id: string, page: { after?: string; limit?: number } = {}): Promise<HistoryPage> {
    const limit = Math.min(Math.max(page.limit ?? 100, 1), 500);
    const parsed = page.after && /^\d{1,19}$/.test(page.after) ? BigInt(page.after) : 0n;
    const after = parsed <= 9223372036854775807n ? parsed : 0n;
    const [rows, total] = await Promise.all([
      entityEvents(this.ctx.db.sql, kind, id, after, limit + 1),
      countEntityEvents(this.ctx.db.sql, kind, id),
    ]);
    const events = rows.slice(0, limit).map(toEventInfo);
    return { events, next: rows.length > limit ? events[events.length - 1]!.id : null, total };
  }

  /** The audit log's search, newest first. */
  async search(s: EventSearch): Promise<{ events: EventInfo[]; next: string | null }> {
    const rows = await searchEvents(this.ctx.db.sql, { ...s, limit: s.limit + 1 });
    const events = rows.slice(0, s.limit).map(toEventInfo);
    return { events, next: rows.length > s.limit ? events[events.length - 1]!.id : null };
  }

  /** Events after `after` (a cursor string; invalid or absent = the beginning), in the log's final order. */
  follow(after: string | Cursor | undefined, limit: number, filter?: FollowFilter): Promise<EventInfo[]> {
    const cursor = typeof after === "string" ? (parseCursor(after) ?? START) : (after ?? START);
    return followEvents(this.ctx.db.sql, cursor, limit, filter).then((rows) => rows.map(toEventInfo));
  }

  /** Where the log ends now. */
  end(): Promise<Cursor> {
    return endCursor(this.ctx.db.sql);
  }

  /** Projects whose files set their own event retention (days). */
  async retentionByProject(): Promise<Map<string, number>> {
    const r = await this.ctx.db.sql.query<{ id: string; days: number }>(
      `SELECT id, event_retention_days AS days FROM scheduler_project WHERE event_retention_days IS NOT NULL`,
    );
    return new Map(r.rows.map((row) => [row.id, row.days]));
  }

  /**
   * Deletes events past their project's retention (`retentionDays` per
   * project; every other project keeps `defaultDays`), at most `maxBatches`
   * bounded batches per call. Returns how many were deleted.
   */
  async prune(retentionDays: Map<string, number>, defaultDays = DEFAULT_RETENTION_DAYS, maxBatches = 20): Promise<number> {
    const now = this.ctx.clock.now().getTime();
    const plans: { project: string | null; before: Date }[] = [
      ...[...retentionDays].map(([project, days]) => ({ project, before: new Date(now - days * DAY_MS) })),
      { project: null, before: new Date(now - defaultDays * DAY_MS) },
    ];
    const others = [...retentionDays.keys()];
    let deleted = 0;
    let batches = 0;
    for (const plan of plans) {
      for (;;) {
        if (batches++ >= maxBatches) return deleted;
        const n = await deleteOldEvents(this.ctx.db.sql, plan.project, plan.before, PRUNE_BATCH, others);
        deleted += n;
        if (n < PRUNE_BATCH) break;
      }
    }
    return deleted;
  }
}
