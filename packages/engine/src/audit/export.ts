/**
 * The audit export's formats, pure: JSON lines (one event per line, as the
 * API returns it) and CSV (RFC 4180: a header row, CRLF line ends, fields
 * with a comma, quote or line break quoted, quotes doubled). A CSV cell that
 * a spreadsheet would run as a formula (starting with = + - @, a tab or a
 * CR) gets a leading `'` (OWASP's advice on CSV injection): actors, reasons
 * and ids are text operators typed.
 */
import type { AuditEvent } from "./search.ts";
import type { ExportFormat } from "./schemas.ts";

export const CSV_COLUMNS = [
  "id", "cursor", "at", "project", "entityKind", "entityId", "action", "from", "to", "reason", "actor", "payload",
] as const;

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  jsonl: "application/x-ndjson; charset=utf-8",
  csv: "text/csv; charset=utf-8",
};

/** One CSV field, quoted when it must be, defused when a spreadsheet would evaluate it. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(",")}\r\n`;
}

export function csvRow(e: AuditEvent): string {
  const cells: Record<(typeof CSV_COLUMNS)[number], string> = {
    id: e.id,
    cursor: e.cursor,
    at: new Date(e.atTimestampMillis).toISOString(),
    project: e.project,
    entityKind: e.entityKind,
    entityId: e.entityId,
    action: e.action,
    from: e.from ?? "",
    to: e.to ?? "",
    reason: e.reason,
    actor: e.actor,
    payload: e.payload === null ? "" : JSON.stringify(e.payload),
  };
  return `${CSV_COLUMNS.map((c) => csvField(cells[c])).join(",")}\r\n`;
}

/** One JSON line: the event as the API returns it, without the dashboard's link references. */
export function jsonLine(e: AuditEvent): string {
  const { refs: _refs, ...event } = e;
  return `${JSON.stringify(event)}\n`;
}

/** The text of one page of events in `format` (the CSV header comes first, once, from the caller). */
export function formatPage(format: ExportFormat, events: AuditEvent[]): string {
  return events.map(format === "csv" ? csvRow : jsonLine).join("");
}
