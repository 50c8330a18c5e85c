import { jobFilterSql, type JobFilter } from "./jobFilter.ts";
import type { Queryable } from "./queryable.ts";

/** A capped count: reads at most `cap` index entries however large the queue is. */
export async function countJobs(db: Queryable, filter: JobFilter, cap: number): Promise<number> {
  const params: unknown[] = [];
  const where = jobFilterSql(filter, params);
  params.push(cap);
  const r = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM queue_job WHERE ${where} LIMIT $${params.length}) capped`,
    params,
  );
  return r.rows[0]!.n;
}

/**
 * Capped counts of every queue by state and priority, for the queue list: one
 * statement, 15 bounded index probes per queue. `later` counts the PENDING
 * jobs not due yet (runAfter after $3): the job list shows due and later
 * PENDING jobs apart, and the counts must say how the total splits.
 */
const SUMMARY_SQL = `
SELECT q.name, s.state::text AS state, p.priority,
       (SELECT count(*) FROM (SELECT 1 FROM queue_job j
                               WHERE j.queue_name = q.name AND j.state = s.state AND j.priority = p.priority
                               LIMIT $1) capped)::int AS n,
       CASE WHEN s.state = 'PENDING' THEN
         (SELECT count(*) FROM (SELECT 1 FROM queue_job j
                                 WHERE j.queue_name = q.name AND j.state = 'PENDING' AND j.priority = p.priority
                                   AND j.run_after > $3
                                 LIMIT $1) capped)::int
       ELSE 0 END AS later
  FROM queue q
 CROSS JOIN unnest(enum_range(NULL::"QueueJobState")) AS s(state)
 CROSS JOIN generate_series(1, 3) AS p(priority)
 WHERE $2::text IS NULL OR q.name = $2`;

export async function countJobsByStateAndPriority(db: Queryable, cap: number, queueName: string | null, now: Date) {
  const r = await db.query<{ name: string; state: string; priority: number; n: number; later: number }>(
    SUMMARY_SQL, [cap, queueName, now]);
  return r.rows;
}
