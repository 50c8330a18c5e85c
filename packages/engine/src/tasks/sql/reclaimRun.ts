import type { Sql } from "@hourglass/db";

/**
 * reclaimTask's statement: extends the lease of run $2 of task $1 to now +
 * $4 ms, only while that run is running, is the task's latest and the
 * task's deadline has not passed; otherwise nothing (the caller answers a
 * conflict). A lease extension changes no state, so it writes no event.
 */
const SQL = `
UPDATE task_run r SET taken_until = $3::timestamptz + $4 * interval '1 millisecond'
  FROM task t
 WHERE r.task_id = $1 AND r.run_id = $2 AND r.state = 'running'
   AND t.task_id = r.task_id AND t.deadline > $3 AND t.run_count = r.run_id + 1
RETURNING r.taken_until, r.worker_group, r.worker_id`;

export async function reclaimRun(sql: Sql, taskId: string, runId: number, now: Date, leaseMs: number) {
  const r = await sql.query<{ taken_until: Date; worker_group: string; worker_id: string }>(SQL, [
    taskId, runId, now, leaseMs,
  ]);
  return r.rows[0] ?? null;
}
