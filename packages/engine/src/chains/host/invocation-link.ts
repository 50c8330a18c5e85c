import type { Sql } from "@hourglass/db";
import { logLine } from "../../scheduler/host/debug-log.ts";
import { finishInTransaction } from "../../scheduler/host/invocations.ts";

/** How the scheduler invocation that started a request ends, by the request's final state. */
const INVOCATION_OUTCOME = { COMPLETE: "SUCCEEDED", FAIL: "FAILED", STOPPED: "ABORTED" } as const;

/**
 * Ends the RUNNING scheduler invocations (task kind `request`) whose request
 * has reached a final state. Call it in the transaction that made the
 * request final, so an invocation never outlives its request; `by` is who
 * stopped it, recorded as the invocation's aborted_by.
 */
export async function endLinkedInvocations(sql: Sql, now: Date, requestIds: string[], by?: string): Promise<void> {
  if (requestIds.length === 0) return;
  const linked = await sql.query<{ request_id: string; state: keyof typeof INVOCATION_OUTCOME; invocation_id: string; job_key: string }>(
    `SELECT r.id AS request_id, r.state::text AS state, i.id::text AS invocation_id, i.job_key
       FROM request r JOIN scheduler_invocation i ON i.id = r.invocation_id
      WHERE r.id = ANY($1::text[]) AND r.state IN ('COMPLETE', 'FAIL', 'STOPPED') AND i.state = 'RUNNING'`, [requestIds]);
  if (linked.rows.length === 0) return;
  await finishInTransaction(sql, now, linked.rows.map((r) => ({
    id: r.invocation_id, jobKey: r.job_key, to: INVOCATION_OUTCOME[r.state], from: ["RUNNING"],
    by: r.state === "STOPPED" ? by : undefined,
    log: logLine(now, `request ${r.request_id} ended ${r.state}`),
  })));
}
