import type { Sql } from "@hourglass/db";
import { logLine } from "./debug-log.ts";
import { finishInTransaction } from "./invocations.ts";

/** How the invocation that started a request ends, by the request's final state. */
const OUTCOME = { COMPLETE: "SUCCEEDED", FAIL: "FAILED", STOPPED: "ABORTED" } as const;

/** A request (task kind `request`) that reached a final state, and the invocation that started it. */
export interface RequestEnd {
  requestId: string;
  invocationId: string;
  state: keyof typeof OUTCOME;
  /** Who stopped it: recorded as the invocation's aborted_by. */
  by?: string;
}

/**
 * Ends the RUNNING invocations whose requests reached a final state. Chains
 * call it through their hooks (ChainHooks.requestsEnded, wired in engine.ts)
 * in the transaction that made the request final, so an invocation never
 * outlives its request; it takes the request's word and reads no chain table.
 */
export async function endRequestInvocations(sql: Sql, now: Date, ended: RequestEnd[]): Promise<void> {
  if (ended.length === 0) return;
  const byId = new Map(ended.map((e) => [e.invocationId, e]));
  const running = await sql.query<{ id: string; job_key: string }>(
    `SELECT id::text AS id, job_key FROM scheduler_invocation WHERE id = ANY($1::bigint[]) AND state = 'RUNNING'`,
    [[...byId.keys()]]);
  if (running.rows.length === 0) return;
  await finishInTransaction(sql, now, running.rows.map((r) => {
    const e = byId.get(r.id)!;
    return {
      id: r.id, jobKey: r.job_key, to: OUTCOME[e.state], from: ["RUNNING"],
      by: e.state === "STOPPED" ? e.by : undefined,
      reason: `request ${e.requestId} ended ${e.state}`,
      log: logLine(now, `request ${e.requestId} ended ${e.state}`),
    };
  }));
}
