import type { Sql } from "@hourglass/db";

/**
 * Maintenance, one bounded batch, inside its transaction: unresolved tasks
 * whose deadline has come (machine.ts deadlineExceeded), locked so
 * concurrent maintainers take disjoint batches. The caller resolves them
 * exception / deadline-exceeded.
 */
const SQL = `
SELECT task_id, state::text AS state, run_count FROM task
 WHERE state IN ('unscheduled', 'pending', 'running') AND deadline <= $1
 ORDER BY deadline
 LIMIT $2
 FOR UPDATE SKIP LOCKED`;

export async function pastDeadline(sql: Sql, now: Date, limit: number) {
  const r = await sql.query<{ task_id: string; state: string; run_count: number }>(SQL, [now, limit]);
  return r.rows;
}
