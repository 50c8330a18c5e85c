import type { Sql } from "@hourglass/db";

/**
 * Stores the triage log of each job triaged and clears its triage request —
 * only if nothing asked again meanwhile (a newer request keeps the job queued
 * for triage). `requested` is the request the triage handled (null when it
 * handled none: an end that triaged a quiet job itself). The tick timer's
 * triage is stored by its own job update (sql/advanceTickedJobs.ts), in the
 * statement that moves the cron state.
 */
const SQL = `
UPDATE scheduler_job j SET last_triage_at = $1, triage_log = u.log,
       triage_requested_at = CASE WHEN j.triage_requested_at = u.requested THEN NULL ELSE j.triage_requested_at END
  FROM unnest($2::text[], $3::text[], $4::timestamptz[]) AS u(key, log, requested)
 WHERE j.key = u.key`;

export async function recordTriage(sql: Sql, now: Date, triaged: { key: string; log: string; requested: Date | null }[]) {
  if (triaged.length === 0) return;
  await sql.query(SQL, [now, triaged.map((t) => t.key), triaged.map((t) => t.log), triaged.map((t) => t.requested)]);
}
