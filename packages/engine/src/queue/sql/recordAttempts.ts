import type { Queryable } from "./queryable.ts";

/** Stores what executor runs produced, one row per attempt (outputs already bounded by the executor). */
const SQL = `
INSERT INTO queue_job_attempt (job_id, attempt, claim_descriptor, started_at, finished_at, succeeded,
                               exit_code, http_status, stdout, stderr, error)
SELECT a.* FROM unnest($1::bigint[], $2::int[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::bool[],
                       $7::int[], $8::int[], $9::text[], $10::text[], $11::text[])
                AS a(job_id, attempt, claim_descriptor, started_at, finished_at, succeeded, exit_code, http_status, stdout, stderr, error)
 WHERE EXISTS (SELECT 1 FROM queue_job j WHERE j.id = a.job_id) -- deleted meanwhile: nothing to attach to`;

export interface AttemptRecord {
  jobId: string;
  attempt: number;
  claimDescriptor: string;
  startedAt: Date;
  finishedAt: Date;
  succeeded: boolean;
  exitCode: number | null;
  httpStatus: number | null;
  stdout: string;
  stderr: string;
  error: string | null;
}

export async function recordAttempts(db: Queryable, attempts: AttemptRecord[]): Promise<void> {
  if (attempts.length === 0) return;
  const col = <K extends keyof AttemptRecord>(k: K) => attempts.map((a) => a[k]);
  await db.query(SQL, [
    col("jobId"), col("attempt"), col("claimDescriptor"), col("startedAt"), col("finishedAt"), col("succeeded"),
    col("exitCode"), col("httpStatus"), col("stdout"), col("stderr"), col("error"),
  ], "hg_record_attempts");
}
