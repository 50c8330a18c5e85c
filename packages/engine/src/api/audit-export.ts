/**
 * GET /api/audit/export?format=jsonl|csv&actor=&project=&entityKind=&entityId=&action=&since=&until=&operatorOnly=
 * — every event of the audit log that matches and that the caller may see,
 * newest first, streamed in bounded pages (the whole export is never held in
 * memory). Authenticated like every API call (a Bearer token or the session
 * cookie); no credentials is 401, bad parameters 400 naming them.
 */
import type { ApiCaller } from "../access/host/caller.ts";
import { AuditLog } from "../audit/search.ts";
import { CONTENT_TYPES, csvHeader, formatPage } from "../audit/export.ts";
import { parseExportParams } from "../audit/schemas.ts";
import type { Engine } from "../engine.ts";
import { credentialsOf } from "./credentials-of.ts";
import { refusedCredentials } from "./http.ts";
import { checkRequest, type RequestPolicy } from "./request-guard.ts";

export const AUDIT_EXPORT_ENDPOINT = "/api/audit/export";

export interface AuditExportOptions {
  policy?: RequestPolicy;
  /** Events read per page (default 500). */
  pageSize?: number;
  /** Told about errors after the response started (the body then ends early). */
  onError?: (message: string) => void;
}

function refuse(status: number, code: string, errorCode: string, message: string, issues?: unknown): Response {
  const data = { code, httpStatus: status, errorCode, ...(issues ? { issues } : {}) };
  return Response.json({ error: { message, code: -32600, data } }, { status });
}

export async function handleAuditExportRequest(req: Request, engine: Engine, options: AuditExportOptions = {}): Promise<Response> {
  const refused = checkRequest(req, options.policy ?? { allowedHosts: [] });
  if (refused) return refused;
  if (req.method !== "GET") return refuse(405, "METHOD_NOT_SUPPORTED", "INVALID_ARGUMENT", "the audit export is read with GET");
  if (req.headers.get("sec-fetch-site") === "cross-site") {
    return refuse(403, "FORBIDDEN", "CROSS_SITE_REQUEST", "the audit export is not served to pages of another site");
  }
  let caller: ApiCaller;
  try {
    caller = await engine.access.credentials.authenticate(credentialsOf(req));
  } catch (err) {
    return refusedCredentials(err, engine);
  }
  if (caller.kind === "anonymous") {
    return refuse(401, "UNAUTHORIZED", "UNAUTHENTICATED", "sign in, or send an API token (Authorization: Bearer hg_…)");
  }
  const parsed = parseExportParams(new URL(req.url).searchParams);
  if (!parsed.ok) {
    const message = parsed.issues.map((i) => `${i.path}: ${i.message}`).join("; ");
    return refuse(400, "BAD_REQUEST", "INVALID_ARGUMENT", message, parsed.issues);
  }
  const { format, filter } = parsed;
  const pages = new AuditLog(engine.events, engine.feed.refs).all(caller.scopes, filter, options.pageSize ?? 500);
  const encoder = new TextEncoder();
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    // one page per pull: the reader's pace decides how fast the log is read
    async pull(controller) {
      try {
        if (!started) {
          started = true;
          if (format === "csv") controller.enqueue(encoder.encode(csvHeader()));
        }
        const next = await pages.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(formatPage(format, next.value)));
      } catch (err) {
        options.onError?.(`audit export: ${(err as Error)?.message ?? String(err)}`);
        controller.error(err);
      }
    },
    async cancel() {
      await pages.return(undefined);
    },
  });
  const stamp = new Date(engine.ctx.clock.now()).toISOString().replace(/[:.]/g, "-");
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": CONTENT_TYPES[format],
      "content-disposition": `attachment; filename="hourglass-audit-${stamp}.${format}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
