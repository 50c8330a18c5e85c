import type { Sql } from "@hourglass/db";

/**
 * Maintenance, one bounded batch: unresolved tasks whose deadline has come
 * (machine.ts deadlineExceeded). Not locked: the resolutions that follow are
 * guarded by the state read here (locking task rows first would invert the
 * run-then-task order of claims and reports and could deadlock with them); a
 * task that moved meanwhile is found again by the next pass, and two
 * maintainers on one batch resolve each task once.
 */
const SQL = `
SELECT task_id, state::text AS state, run_count FROM task
 WHERE state IN ('unscheduled', 'pending', 'running') AND deadline <= $1
 ORDER BY deadline
 LIMIT $2`;

export async function pastDeadline(sql: Sql, now: Date, limit: number) {
  const r = await sql.query<{ task_id: string; state: string; run_count: number }>(SQL, [now, limit]);
  return r.rows;
}
