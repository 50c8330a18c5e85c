import type { Sql } from "@hourglass/db";

/**
 * Maintenance, one bounded batch, inside its transaction: running runs whose
 * lease lapsed (machine.ts claimExpired), locked so concurrent maintainers
 * take disjoint batches. The caller resolves them exception / claim-expired.
 */
const SQL = `
SELECT task_id, run_id FROM task_run
 WHERE state = 'running' AND taken_until < $1
 ORDER BY taken_until
 LIMIT $2
 FOR UPDATE SKIP LOCKED`;

export async function lapsedClaims(sql: Sql, now: Date, limit: number) {
  const r = await sql.query<{ task_id: string; run_id: number }>(SQL, [now, limit]);
  return r.rows;
}
