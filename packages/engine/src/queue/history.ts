import type { EventInfo } from "../events/types.ts";
import type { HistoryEntry } from "./types.ts";
import type { QueueJobState } from "./states.ts";

const claimer = (descriptor: string) => descriptor.slice(descriptor.indexOf("@") + 1);
const attempt = (descriptor: string) => descriptor.slice(0, descriptor.indexOf("@"));
const actorName = (actor: string) => (actor.startsWith("worker:") ? actor.slice("worker:".length) : actor);

const NOTE: Record<string, (e: EventInfo) => string> = {
  enqueued: () => "enqueued",
  acked: (e) => (e.to === "SUCCEEDED" ? "acked succeeded" : `acked ${e.reason}`),
  checkpointed: (e) => (e.reason ? `checkpointed, ${e.reason}` : "checkpointed"),
  released: (e) => e.reason,
  expired: (e) => e.reason,
  retried: (e) => `retried (${e.reason})`,
  requeued: (e) => `requeued from ${e.from} (${e.reason})`,
  cancelled: (e) => e.reason,
};

/**
 * A queue job's history from its events. Claims are compact in the log (one
 * event per claim batch), so each claim is shown from the event that ended it
 * (its payload names the claim) and the current one from the job's columns.
 */
export function jobHistory(
  events: EventInfo[],
  job: { state: string; claimedAt: Date | null; claimDescriptor: string | null },
  last: boolean,
): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  for (const e of events) {
    const claim = e.payload?.claim;
    const claimedAt = e.payload?.claimedAt;
    if (typeof claim === "string" && typeof claimedAt === "string") {
      out.push({ at: new Date(claimedAt).toISOString(), state: "IN_PROGRESS", by: claimer(claim), note: `claimed, attempt ${attempt(claim)}` });
    }
    out.push({
      at: new Date(e.atTimestampMillis).toISOString(),
      state: (e.to ?? e.from ?? "PENDING") as QueueJobState,
      by: actorName(e.actor),
      note: NOTE[e.action]?.(e) ?? e.action,
      eventId: e.id,
    });
  }
  if (last && job.state === "IN_PROGRESS" && job.claimedAt && job.claimDescriptor) {
    const d = job.claimDescriptor;
    out.push({ at: job.claimedAt.toISOString(), state: "IN_PROGRESS", by: claimer(d), note: `claimed, attempt ${attempt(d)}` });
  }
  return out;
}
