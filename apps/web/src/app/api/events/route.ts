// The public event stream (README, "The event stream"): server-sent events of
// the log, filtered and limited to what the caller may see; the engine serves it.
import { handleEventStreamRequest } from "@hourglass/engine/api";
import { getEngine, getEventStreamOptions } from "@/lib/engine";

export const dynamic = "force-dynamic";

export function GET(req: Request) {
  return handleEventStreamRequest(req, getEngine(), getEventStreamOptions());
}
