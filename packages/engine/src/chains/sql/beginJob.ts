/**
 * A chain job's try begins: PENDING (or, on a redelivery whose try was lost,
 * RUNNING: $4) -> RUNNING while its request is RUNNING, with a RUNNING job-log
 * row. Returns the job, the log row's id, the data its parents passed on
 * (in id order) and whether its sequence is the request's own. No row: the
 * job or request is not in a state to run it.
 *   $1 request id, $2 job id, $3 now, $4 relaunch a lost RUNNING try
 */
export const BEGIN_JOB_SQL = `
WITH j AS (
  UPDATE chain_job j SET state = 'RUNNING', tries = tries + 1, total_tries = total_tries + 1, started_at = $3, finished_at = NULL
    FROM request r
   WHERE j.request_id = $1 AND j.id = $2 AND r.id = j.request_id AND r.state = 'RUNNING'
     AND (j.state = 'PENDING' OR (j.state = 'RUNNING' AND $4::boolean))
  RETURNING j.*
), log AS (
  INSERT INTO chain_job_log (request_id, job_id, name, type, try, state, started_at)
  SELECT request_id, id, name, type, total_tries, 'RUNNING', $3 FROM j
  RETURNING id
)
SELECT j.*, (SELECT id::text FROM log) AS log_id,
       (SELECT coalesce(jsonb_agg(p.data ORDER BY p.id), '[]') FROM chain_job p WHERE p.request_id = j.request_id AND p.id = ANY(j.deps)) AS parent_data,
       (SELECT s.parent_id IS NULL FROM chain_sequence s WHERE s.request_id = j.request_id AND s.id = j.sequence_id) AS root_sequence
  FROM j`;
