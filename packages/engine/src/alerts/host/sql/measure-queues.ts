import type { Sql } from "@hourglass/db";
import { SYSTEM_QUEUE_PREFIX } from "../../../queue/system.ts";

export interface QueueMeasureRow {
  name: string;
  backlog: number;
  oldest: Date | null;
}

/**
 * The due PENDING jobs of queue $2 of project $1 (or of every queue of the
 * project but Hourglass's own, when $2 is null): how many, counted up to $4,
 * and when the oldest became due. Each probe walks the scan index
 * (queue, state, priority, run_after): at most $4 entries, and the first of
 * each priority.
 *   $1 project, $2 queue or null, $3 now, $4 count cap
 */
const SQL = `
SELECT q.name,
       (SELECT count(*)::int FROM (SELECT 1 FROM queue_job j
                                    WHERE j.queue_name = q.name AND j.state = 'PENDING' AND j.run_after <= $3 LIMIT $4) c) AS backlog,
       (SELECT min(p.first) FROM unnest(ARRAY[1, 2, 3]::smallint[]) AS pr(priority)
          CROSS JOIN LATERAL (SELECT j.run_after AS first FROM queue_job j
                               WHERE j.queue_name = q.name AND j.state = 'PENDING' AND j.priority = pr.priority
                               ORDER BY j.run_after LIMIT 1) p
         WHERE p.first <= $3) AS oldest
  FROM queue q
 WHERE q.project = $1 AND (q.name = $2 OR $2::text IS NULL AND left(q.name, ${SYSTEM_QUEUE_PREFIX.length}) <> '${SYSTEM_QUEUE_PREFIX}')
 ORDER BY q.name
 LIMIT 1000`;

export async function measureQueues(sql: Sql, project: string, queue: string | null, now: Date, cap: number) {
  return (await sql.query<QueueMeasureRow>(SQL, [project, queue, now, cap])).rows;
}
