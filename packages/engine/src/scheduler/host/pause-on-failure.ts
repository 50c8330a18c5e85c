import type { Sql } from "@hourglass/db";
import type { JobDefinition } from "../catalog.ts";
import { FINAL_INVOCATION_STATES, type InvocationState } from "../invocation-states.ts";
import { pauseOnFailureReason, pausesOnFailure } from "../pause-on-failure.ts";
import { pauseFailingJobs } from "../sql/pauseFailingJobs.ts";

/**
 * After invocations failed, in the transaction that ended them (job rows
 * locked): each of their jobs with `pause_after_failures: N` reads its N
 * newest finished invocations since it was last resumed, and pauses itself
 * when they all failed (pause-on-failure.ts). Returns the keys it paused.
 */
export async function pauseJobsOnFailure(
  sql: Sql, now: Date, failed: { jobKey: string }[], definitions: Map<string, JobDefinition>,
): Promise<string[]> {
  const limits = new Map<string, number>();
  for (const f of failed) {
    const limit = definitions.get(f.jobKey)?.pauseAfterFailures;
    if (limit !== undefined) limits.set(f.jobKey, limit);
  }
  if (limits.size === 0) return [];
  const keys = [...limits.keys()];
  const rows = (await sql.query<{ key: string; ids: string[]; states: InvocationState[] }>(
    `SELECT j.key, coalesce(array_agg(i.id::text ORDER BY i.id DESC) FILTER (WHERE i.id IS NOT NULL), '{}') AS ids,
            coalesce(array_agg(i.state::text ORDER BY i.id DESC) FILTER (WHERE i.id IS NOT NULL), '{}') AS states
       FROM unnest($1::text[], $2::int[]) AS u(key, n)
       JOIN scheduler_job j ON j.key = u.key AND j.paused_at IS NULL
       LEFT JOIN LATERAL (
         SELECT i.id, i.state FROM scheduler_invocation i
          WHERE i.job_key = u.key AND i.state = ANY($3::"InvocationState"[])
            AND i.started_at >= coalesce(j.resumed_at, '-infinity')
          ORDER BY i.id DESC LIMIT u.n) i ON true
      GROUP BY j.key`,
    [keys, keys.map((k) => limits.get(k)!), FINAL_INVOCATION_STATES])).rows;
  const pausing = rows.filter((r) => pausesOnFailure(limits.get(r.key), r.states))
    .map((r) => ({ key: r.key, reason: pauseOnFailureReason(limits.get(r.key)!), invocations: r.ids }));
  return pauseFailingJobs(sql, now, pausing);
}
