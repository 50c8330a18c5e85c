import type { Sql } from "@hourglass/db";

/**
 * Scheduler jobs waiting for a triage and how long the oldest has waited,
 * for the triage gauges. Both read the triage_requested_at index; the count
 * is capped like the queue gauge's.
 */
const SQL = `
SELECT (SELECT count(*) FROM (SELECT 1 FROM scheduler_job WHERE triage_requested_at IS NOT NULL LIMIT $1) capped)::int AS waiting,
       (SELECT min(triage_requested_at) FROM scheduler_job WHERE triage_requested_at IS NOT NULL) AS oldest`;

export async function triageBacklog(sql: Sql, cap: number): Promise<{ waiting: number; oldest: Date | null }> {
  const r = await sql.query<{ waiting: number; oldest: Date | null }>(SQL, [cap]);
  return r.rows[0]!;
}
