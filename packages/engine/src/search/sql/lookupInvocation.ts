import type { Sql } from "@hourglass/db";

export interface InvocationHitRow { id: string; job_key: string; project: string; state: string; started_at: Date }

/** The invocation with exactly this id (its primary key), with its job's project. */
export async function lookupInvocation(sql: Sql, id: string): Promise<InvocationHitRow[]> {
  const r = await sql.query<InvocationHitRow>(
    `SELECT i.id::text AS id, i.job_key, j.project_id AS project, i.state::text AS state, i.started_at
       FROM scheduler_invocation i JOIN scheduler_job j ON j.key = i.job_key
      WHERE i.id = $1::bigint`,
    [id],
  );
  return r.rows;
}
