// The audit page's filters as they live in the URL's query string (so a
// reload or a shared link keeps them), what they ask the API, and the export
// links that use them. Pure: tested in apps/web/test.
import { ENTITY_KINDS, type EntityKind } from "@hourglass/engine/states";
import { localZone } from "./time-format";
import { rangeBounds, RANGE_LABELS, RANGES, type Range } from "./time-range";

/** Time ranges the page offers (shared with every list, lib/time-range.ts); "custom" reads `from` and `to`. */
export { RANGE_LABELS, RANGES, type Range };

export interface AuditQuery {
  actor: string;
  /** My actions: the actor is the signed-in caller (the actor field is ignored). */
  mine: boolean;
  project: string;
  /** An entity kind, or "" for any (an unknown kind in the URL reads as any). */
  entityKind: EntityKind | "";
  entityId: string;
  action: string;
  range: Range;
  /** A custom range's ends, as a datetime-local input holds them ("2026-06-01T12:00", in the viewer's chosen zone). */
  from: string;
  to: string;
  /** Only what people and programs did (no worker:… or system:… events). */
  operatorOnly: boolean;
}

export const DEFAULT_QUERY: AuditQuery = {
  actor: "", mine: false, project: "", entityKind: "", entityId: "", action: "", range: "24h", from: "", to: "", operatorOnly: false,
};

const TEXT = ["actor", "project", "entityId", "action", "from", "to"] as const;

export function parseAuditQuery(params: URLSearchParams): AuditQuery {
  const q: AuditQuery = { ...DEFAULT_QUERY };
  for (const key of TEXT) q[key] = params.get(key)?.trim() ?? "";
  const kind = params.get("entityKind") ?? "";
  q.entityKind = (ENTITY_KINDS as readonly string[]).includes(kind) ? (kind as EntityKind) : "";
  const range = params.get("range");
  q.range = (RANGES as readonly string[]).includes(range ?? "") ? (range as Range) : DEFAULT_QUERY.range;
  q.mine = params.get("mine") === "1";
  q.operatorOnly = params.get("operatorOnly") === "1";
  return q;
}

/** The query string of `q`: only what differs from the defaults, in a fixed order. */
export function auditQueryString(q: AuditQuery): string {
  const p = new URLSearchParams();
  if (q.mine) p.set("mine", "1");
  for (const key of ["actor", "project", "entityKind", "entityId", "action", "from", "to"] as const) {
    if (key === "actor" && q.mine) continue;
    if ((key === "from" || key === "to") && q.range !== "custom") continue;
    if (q[key] !== "") p.set(key, q[key]);
  }
  if (q.range !== DEFAULT_QUERY.range) p.set("range", q.range);
  if (q.operatorOnly) p.set("operatorOnly", "1");
  return p.toString();
}

/** What audit.search and the export are asked (since / until in epoch millis). */
export interface AuditFilter {
  actor?: string;
  project?: string;
  entityKind?: EntityKind;
  entityId?: string;
  action?: string;
  since?: number;
  until?: number;
  operatorOnly?: boolean;
}

/**
 * The filter `q` asks for, relative ranges counted back from `now`, a custom
 * one's ends read in `zone`; `me` is the caller's id (for "my actions").
 */
export function auditFilter(q: AuditQuery, me: string | undefined, now: number, zone = localZone()): AuditFilter {
  const f: AuditFilter = {};
  const actor = q.mine ? me : q.actor;
  if (actor) f.actor = actor;
  if (q.project) f.project = q.project;
  if (q.entityKind) f.entityKind = q.entityKind;
  if (q.entityId) f.entityId = q.entityId;
  if (q.action) f.action = q.action;
  Object.assign(f, rangeBounds(q, now, zone));
  if (q.operatorOnly) f.operatorOnly = true;
  return f;
}

export const EXPORT_PATH = "/api/audit/export";

/** The export of what the page shows, in `format`. */
export function exportHref(format: "jsonl" | "csv", f: AuditFilter): string {
  const p = new URLSearchParams({ format });
  for (const [key, value] of Object.entries(f)) if (value !== undefined) p.set(key, String(value));
  return `${EXPORT_PATH}?${p.toString()}`;
}
