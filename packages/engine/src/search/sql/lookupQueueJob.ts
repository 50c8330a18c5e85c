import type { Sql } from "@hourglass/db";

export interface QueueJobHitRow { id: string; queue_name: string; state: string; run_after: Date }

/** The queue job with exactly this id (its primary key), in `queueName` when given (a descriptor "<queue>:<id>"). */
export async function lookupQueueJob(sql: Sql, id: string, queueName: string | null): Promise<QueueJobHitRow[]> {
  const r = await sql.query<QueueJobHitRow>(
    `SELECT id::text AS id, queue_name, state::text AS state, run_after
       FROM queue_job WHERE id = $1::bigint AND ($2::text IS NULL OR queue_name = $2)`,
    [id, queueName],
  );
  return r.rows;
}
