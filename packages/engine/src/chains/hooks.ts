import type { Sql } from "@hourglass/db";
import type { FinalRequestState } from "./states.ts";

/** A request that reached a final state and was started by a scheduler invocation. */
export interface EndedRequest {
  requestId: string;
  invocationId: string;
  state: FinalRequestState;
  /** Who stopped it (STOPPED only). */
  by?: string;
}

/**
 * What chains tell the rest of the engine, so that chains import no other
 * part's host (engine.ts wires them). Each runs inside the transaction that
 * made the change, on its `sql`.
 */
export interface ChainHooks {
  /** Requests started by scheduler invocations ended: their invocations end with them. */
  requestsEnded?: (sql: Sql, now: Date, ended: EndedRequest[]) => Promise<void>;
}

/** Calls requestsEnded for the requests among `ended` that a scheduler invocation started. */
export async function tellEnded(
  hooks: ChainHooks, sql: Sql, now: Date,
  ended: { requestId: string; invocationId: string | null; state: FinalRequestState; by?: string }[],
): Promise<void> {
  const linked = ended.filter((e): e is EndedRequest => e.invocationId !== null);
  if (linked.length > 0 && hooks.requestsEnded) await hooks.requestsEnded(sql, now, linked);
}
