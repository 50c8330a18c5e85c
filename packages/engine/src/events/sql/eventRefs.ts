import type { Sql } from "@hourglass/db";

/**
 * What the live feed looks up to decide who may see an event or which page
 * it concerns, one indexed read per kind and batch. Each answers id → name;
 * ids that are gone are absent.
 */

/** The queue of each queue job. */
export async function queuesOfJobs(db: Sql, ids: string[]): Promise<Map<string, string>> {
  const r = await db.query<{ id: string; name: string }>(
    `SELECT id::text AS id, queue_name AS name FROM queue_job WHERE id = ANY($1::bigint[])`, [ids]);
  return new Map(r.rows.map((row) => [row.id, row.name]));
}

/** The scheduler job ("<project>/<job>") of each invocation. */
export async function jobsOfInvocations(db: Sql, ids: string[]): Promise<Map<string, string>> {
  const r = await db.query<{ id: string; key: string }>(
    `SELECT id::text AS id, job_key AS key FROM scheduler_invocation WHERE id = ANY($1::bigint[])`, [ids]);
  return new Map(r.rows.map((row) => [row.id, row.key]));
}

/** The type of each request. */
export async function typesOfRequests(db: Sql, ids: string[]): Promise<Map<string, string>> {
  const r = await db.query<{ id: string; type: string }>(`SELECT id, type FROM request WHERE id = ANY($1::text[])`, [ids]);
  return new Map(r.rows.map((row) => [row.id, row.type]));
}
