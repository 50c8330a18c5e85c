/**
 * What the audit log may be asked: the filters of a search and of an export,
 * validated (zod) with errors that name the field. Shared by the tRPC
 * procedure (JSON input) and the export route (query string).
 */
import { z } from "zod";
import { PROJECT_NAME } from "../access/resources.ts";
import { bigintIdString, epochMillis } from "../bounds.ts";
import { ENTITY_KINDS } from "../events/kinds.ts";

const text = (what: string, max: number) =>
  z.string().trim().min(1, `${what} is empty`).max(max, `${what} is longer than ${max} characters`);

/** The filters; every one narrows, an absent one matches anything. */
export const auditFilterSchema = z.object({
  /** Who: "user:alice", "service:ci", "worker:…", "system:…", "anonymous". */
  actor: text("actor", 300).optional(),
  /** One project; "hourglass" holds access control's events. */
  project: z.string().regex(PROJECT_NAME, "not a project name (letters, digits, _ and -, at most 100)").optional(),
  entityKind: z.enum(ENTITY_KINDS, { error: () => `not an entity kind; one of ${ENTITY_KINDS.join(", ")}` }).optional(),
  entityId: text("entityId", 500).optional(),
  /** "paused", "updated", "signed_in", … */
  action: text("action", 100).optional(),
  /** Events at or after this time (epoch millis). */
  since: epochMillis().optional(),
  /** Events before this time (epoch millis). */
  until: epochMillis().optional(),
  /** Only what people and programs did: leaves out workers' and Hourglass's own (worker:…, system:…) events. */
  operatorOnly: z.boolean().default(false),
}).refine((f) => f.since === undefined || f.until === undefined || f.since < f.until, {
  message: "since must be before until", path: ["until"],
});

export const auditSearchInput = z.object({
  ...auditFilterSchema.shape,
  /** The `next` of the page before: events older than it. */
  before: bigintIdString("before is the next of a page before (an event id)").optional(),
  limit: z.int().min(1, "limit is at least 1").max(500, "limit is at most 500").default(100),
}).refine((f) => f.since === undefined || f.until === undefined || f.since < f.until, {
  message: "since must be before until", path: ["until"],
});

export type AuditFilter = z.infer<typeof auditFilterSchema>;
export type AuditSearchInput = z.infer<typeof auditSearchInput>;

/** The export's formats. */
export const EXPORT_FORMATS = ["jsonl", "csv"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Query parameters of GET /api/audit/export: the filters (booleans as true / 1), and `format`. */
export function parseExportParams(query: URLSearchParams):
  | { ok: true; format: ExportFormat; filter: AuditFilter }
  | { ok: false; issues: { path: string; message: string }[] } {
  const issues: { path: string; message: string }[] = [];
  const known = new Set(["format", ...Object.keys(auditFilterSchema.shape)]);
  const raw: Record<string, unknown> = {};
  for (const key of new Set(query.keys())) {
    if (!known.has(key)) {
      issues.push({ path: key, message: `unknown parameter; known: ${[...known].join(", ")}` });
      continue;
    }
    const values = query.getAll(key);
    if (values.length > 1) {
      issues.push({ path: key, message: "given more than once" });
      continue;
    }
    const v = values[0]!;
    if (key === "since" || key === "until") raw[key] = /^-?\d+$/.test(v) ? Number(v) : v;
    else if (key === "operatorOnly") raw[key] = v === "true" || v === "1" ? true : v === "false" || v === "0" || v === "" ? false : v;
    else if (v !== "") raw[key] = v;
  }
  const format = raw.format ?? "jsonl";
  delete raw.format;
  if (!(EXPORT_FORMATS as readonly unknown[]).includes(format)) {
    issues.push({ path: "format", message: `one of ${EXPORT_FORMATS.join(", ")}` });
  }
  const parsed = auditFilterSchema.safeParse(raw);
  if (!parsed.success) issues.push(...parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })));
  if (issues.length > 0 || !parsed.success) return { ok: false, issues };
  return { ok: true, format: format as ExportFormat, filter: parsed.data };
}
