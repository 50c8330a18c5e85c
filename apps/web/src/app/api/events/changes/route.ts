// The dashboard's live updates: which of a page's topics changed, as
// server-sent events (lib/live.ts opens it); the engine serves it.
import { handleChangesRequest } from "@hourglass/engine/api";
import { getEngine, getEventStreamOptions } from "@/lib/engine";

export const dynamic = "force-dynamic";

export function GET(req: Request) {
  return handleChangesRequest(req, getEngine(), getEventStreamOptions());
}
