// GET /api/audit/export?format=jsonl|csv&…: the audit log's matching events as a file (see the engine's audit-export.ts).
import { handleAuditExportRequest } from "@hourglass/engine/api";
import { getEngine } from "@/lib/engine";
import { webLogger } from "@/lib/logger";
import { requestPolicy } from "@/lib/request-policy";

export const dynamic = "force-dynamic";

export function GET(req: Request): Promise<Response> {
  return handleAuditExportRequest(req, getEngine(), {
    policy: requestPolicy(),
    onError: (message) => webLogger().error("audit export failed", { error: message }),
  });
}
