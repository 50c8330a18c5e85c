import type { Sql } from "@hourglass/db";

/**
 * Jobs of every queue by state, for the `hourglass_queue_jobs` gauge: one
 * statement, one bounded index probe (queue_job_scan_idx) per queue and
 * state, each reading at most `cap` entries, over at most `maxQueues` queues
 * in name order. A GROUP BY over queue_job would read every row, and a
 * scrape must cost the same with a million finished jobs as with ten.
 * Every state of every queue is returned, zeros included, so a drained
 * queue reads 0 rather than vanishing.
 */
const SQL = `
SELECT q.name AS queue, s.state::text AS state,
       (SELECT count(*) FROM (SELECT 1 FROM queue_job j
                               WHERE j.queue_name = q.name AND j.state = s.state
                               LIMIT $1) capped)::int AS n
  FROM (SELECT name FROM queue ORDER BY name LIMIT $2) q
 CROSS JOIN unnest(enum_range(NULL::"QueueJobState")) AS s(state)
 ORDER BY q.name, s.state`;

export async function countJobsByQueueAndState(sql: Sql, cap: number, maxQueues: number) {
  const r = await sql.query<{ queue: string; state: string; n: number }>(SQL, [cap, maxQueues]);
  return r.rows;
}
