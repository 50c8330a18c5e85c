/**
 * The query of the event-stream endpoints, validated: what a stream asks for
 * (EventFilter) and where it resumes (a cursor from `Last-Event-ID`, which
 * wins, or `?after=`). Pure; the errors name the parameter.
 */
import { z } from "zod";
import { PROJECT_NAME } from "../access/resources.ts";
import { parseCursor, type Cursor } from "../events/cursor.ts";
import type { EventFilter } from "../events/feed-match.ts";
import { ENTITY_KINDS } from "../events/kinds.ts";

export interface StreamParams {
  filters: EventFilter[];
  after?: Cursor;
}

export type ParamsResult = { ok: true; params: StreamParams } | { ok: false; issues: { path: string; message: string }[] };

const name = (what: string, max: number) =>
  z.string().min(1, `${what} is empty`).max(max, `${what} is longer than ${max} characters`);
const project = z.string().regex(PROJECT_NAME, "not a project name (letters, digits, _ and -, at most 100)");
const kind = z.enum(ENTITY_KINDS, { error: () => `not an entity kind; one of ${ENTITY_KINDS.join(", ")}` });
const list = <T extends z.ZodType>(item: T) => z.array(item).min(1).max(50);

/** One filter (the public stream's parameters, and each of a page's topics). */
const filterSchema = z.strictObject({
  projects: list(project).optional(),
  entityKinds: list(kind).optional(),
  entityId: name("entityId", 500).optional(),
  actions: list(name("action", 100)).optional(),
  to: list(name("to", 100)).optional(),
  queue: name("queue", 200).optional(),
  job: name("job", 300).optional(),
  request: name("request", 200).optional(),
});

/** Query parameters of GET /api/events and the filter field each fills; repeatable or comma-separated where a list. */
const PUBLIC_PARAMS = {
  project: "projects",
  entityKind: "entityKinds",
  entityId: "entityId",
  action: "actions",
  to: "to",
} as const;
const LISTS = new Set(["project", "entityKind", "action", "to"]);

function cursorOf(headers: Headers, query: URLSearchParams): { cursor?: Cursor; issue?: { path: string; message: string } } {
  const header = headers.get("last-event-id");
  const from = header !== null && header.trim() !== ""
    ? { path: "Last-Event-ID", text: header }
    : { path: "after", text: query.get("after") };
  if (from.text === null || from.text === "") return {};
  const cursor = parseCursor(from.text);
  if (cursor) return { cursor };
  return { issue: { path: from.path, message: `not a cursor ("<tx>.<id>", the id of an event this stream sent)` } };
}

function issuesOf(err: z.ZodError, root: string): { path: string; message: string }[] {
  return err.issues.map((i) => ({ path: [root, ...i.path.map(String)].join("."), message: i.message }));
}

/** GET /api/events?project=&entityKind=&entityId=&action=&to=&after= */
export function parsePublicParams(url: URL, headers: Headers): ParamsResult {
  const issues: { path: string; message: string }[] = [];
  const raw: Record<string, unknown> = {};
  for (const key of new Set(url.searchParams.keys())) {
    if (key === "after") continue;
    const field = PUBLIC_PARAMS[key as keyof typeof PUBLIC_PARAMS];
    if (!field) {
      const known = [...Object.keys(PUBLIC_PARAMS), "after"].join(", ");
      issues.push({ path: key, message: `unknown parameter; known: ${known}` });
      continue;
    }
    const values = url.searchParams.getAll(key);
    if (LISTS.has(key)) raw[field] = values.flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== "");
    else if (values.length > 1) issues.push({ path: key, message: "given more than once" });
    else raw[field] = values[0];
  }
  const parsed = filterSchema.safeParse(raw);
  if (!parsed.success) {
    const field = (f: string) => Object.entries(PUBLIC_PARAMS).find(([, v]) => v === f)?.[0] ?? f;
    for (const i of parsed.error.issues) {
      issues.push({ path: [field(String(i.path[0])), ...i.path.slice(1).map(String)].join("."), message: i.message });
    }
  }
  const { cursor, issue } = cursorOf(headers, url.searchParams);
  if (issue) issues.push(issue);
  if (issues.length > 0 || !parsed.success) return { ok: false, issues };
  return { ok: true, params: { filters: [parsed.data], after: cursor } };
}

const topicsSchema = z.array(filterSchema).min(1, "name at least one topic").max(20, "at most 20 topics");

/** GET /api/events/changes?topics=<JSON array of filters>&after= (the dashboard's pages). */
export function parseTopicsParams(url: URL, headers: Headers): ParamsResult {
  const issues: { path: string; message: string }[] = [];
  for (const key of url.searchParams.keys()) {
    if (key !== "topics" && key !== "after") issues.push({ path: key, message: "unknown parameter; known: topics, after" });
  }
  let json: unknown;
  try {
    json = JSON.parse(url.searchParams.get("topics") ?? "");
  } catch {
    issues.push({ path: "topics", message: "not JSON: a URL-encoded JSON array of filters" });
  }
  const parsed = topicsSchema.safeParse(json);
  if (json !== undefined && !parsed.success) issues.push(...issuesOf(parsed.error, "topics"));
  const { cursor, issue } = cursorOf(headers, url.searchParams);
  if (issue) issues.push(issue);
  if (issues.length > 0 || !parsed.success) return { ok: false, issues };
  return { ok: true, params: { filters: parsed.data, after: cursor } };
}
