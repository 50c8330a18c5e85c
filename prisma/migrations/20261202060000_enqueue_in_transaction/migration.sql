-- Enqueue from a program's own transaction (packages/client: enqueueInTransaction), like graphile-worker's add_job:
--   SELECT hourglass.enqueue_jobs('emails', '[{"body": "{\"to\": \"a@example.com\"}", "priority": 2}]');
-- It does what the API's enqueueJobs does (packages/engine/src/queue/sql/enqueueJobs.ts): the jobs, their
-- `enqueued` events in event_log, and the wake-ups of workers, all inside the caller's transaction, so they
-- commit or roll back with the caller's own rows and workers see the jobs (and hear the notifications) at
-- commit. The checks are the API's: the queue must exist and not be one of Hourglass's own (`hourglass_*`);
-- 1 to 10,000 jobs; each job an object with a string `body` of at most 1,000,000 characters, `priority`
-- 1-3 (default 1), `numAttemptsAllowed` 1-1000 (default 2), `runAfterTimestampMillis` epoch millis up to the
-- end of year 9999 (default now), `customStatus` at most 4,000 characters (default ''); no other keys.
-- A refused call raises an error whose DETAIL is the API's error code and whose message names the field
-- ("jobs.1.priority: ..."), and enqueues nothing. It checks no scopes: whoever may insert into queue_job may
-- call it (SECURITY INVOKER). Times are the transaction's (now()). Tests hold it to the API's statement
-- (packages/client/test/enqueue-in-transaction.test.ts).
CREATE SCHEMA IF NOT EXISTS hourglass;

CREATE FUNCTION hourglass.enqueue_jobs(queue_name text, jobs jsonb, actor text DEFAULT 'system:sql')
RETURNS SETOF text
LANGUAGE plpgsql VOLATILE
SET search_path FROM CURRENT
AS $$
DECLARE
  t_now timestamptz := now();
  q_project text;
  n int;
  job jsonb;
  i int;
  k text;
  path text;
  due boolean;
  later timestamptz;
BEGIN
  IF enqueue_jobs.queue_name IS NULL THEN
    RAISE EXCEPTION 'queueName: queue name is empty' USING ERRCODE = 'invalid_parameter_value', DETAIL = 'QUEUE_NAME_INVALID';
  END IF;
  IF starts_with(enqueue_jobs.queue_name, 'hourglass_') THEN
    RAISE EXCEPTION 'queue names starting with "hourglass_" are reserved for Hourglass''s own queues: cannot enqueue jobs on "%"',
      enqueue_jobs.queue_name USING ERRCODE = 'insufficient_privilege', DETAIL = 'QUEUE_RESERVED';
  END IF;
  IF enqueue_jobs.actor IS NULL OR enqueue_jobs.actor !~ '^[a-z]+:.+$' OR length(enqueue_jobs.actor) > 200 THEN
    RAISE EXCEPTION 'actor: an actor is "<kind>:<name>" of at most 200 characters, e.g. "service:signup" (got %)',
      coalesce(quote_literal(enqueue_jobs.actor), 'NULL') USING ERRCODE = 'invalid_parameter_value', DETAIL = 'INVALID_ARGUMENT';
  END IF;
  -- KEY SHARE, as the foreign key would take: the queue cannot be deleted before this transaction ends
  SELECT q.project INTO q_project FROM queue q WHERE q.name = enqueue_jobs.queue_name FOR KEY SHARE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'queue "%" does not exist', enqueue_jobs.queue_name USING ERRCODE = 'undefined_object', DETAIL = 'QUEUE_NOT_FOUND';
  END IF;
  IF jsonb_typeof(enqueue_jobs.jobs) IS DISTINCT FROM 'array' THEN
    RAISE EXCEPTION 'jobs: expected a JSON array of jobs' USING ERRCODE = 'invalid_parameter_value', DETAIL = 'INVALID_ARGUMENT';
  END IF;
  n := jsonb_array_length(enqueue_jobs.jobs);
  IF n = 0 THEN
    RAISE EXCEPTION 'jobs: jobs is empty' USING ERRCODE = 'invalid_parameter_value', DETAIL = 'INVALID_ARGUMENT';
  END IF;
  IF n > 10000 THEN
    RAISE EXCEPTION 'jobs: at most 10000 jobs per call' USING ERRCODE = 'invalid_parameter_value', DETAIL = 'INVALID_ARGUMENT';
  END IF;

  FOR i IN 0 .. n - 1 LOOP
    job := enqueue_jobs.jobs -> i;
    path := 'jobs.' || i;
    IF jsonb_typeof(job) IS DISTINCT FROM 'object' THEN
      RAISE EXCEPTION '%: expected an object', path USING ERRCODE = 'invalid_parameter_value', DETAIL = 'INVALID_ARGUMENT';
    END IF;
    FOR k IN SELECT jsonb_object_keys(job) LOOP
      IF k NOT IN ('body', 'priority', 'runAfterTimestampMillis', 'numAttemptsAllowed', 'customStatus') THEN
        RAISE EXCEPTION '%.%: unknown key (a job has body, priority, runAfterTimestampMillis, numAttemptsAllowed, customStatus)',
          path, k USING ERRCODE = 'invalid_parameter_value', DETAIL = 'INVALID_ARGUMENT';
      END IF;
    END LOOP;
    IF jsonb_typeof(job -> 'body') IS DISTINCT FROM 'string' THEN
      RAISE EXCEPTION '%.body: expected a string', path USING ERRCODE = 'invalid_parameter_value', DETAIL = 'INVALID_ARGUMENT';
    END IF;
    IF length(job ->> 'body') > 1000000 THEN
      RAISE EXCEPTION '%.body: a job body is at most 1000000 characters', path
        USING ERRCODE = 'invalid_parameter_value', DETAIL = 'INVALID_ARGUMENT';
    END IF;
    IF job ? 'priority' AND (jsonb_typeof(job -> 'priority') IS DISTINCT FROM 'number'
        OR (job ->> 'priority')::numeric NOT IN (1, 2, 3)) THEN
      RAISE EXCEPTION '%.priority: priority must be 1, 2 or 3', path
        USING ERRCODE = 'invalid_parameter_value', DETAIL = 'PRIORITY_NOT_SUPPORTED';
    END IF;
    IF job ? 'numAttemptsAllowed' AND (jsonb_typeof(job -> 'numAttemptsAllowed') IS DISTINCT FROM 'number'
        OR (job ->> 'numAttemptsAllowed')::numeric NOT BETWEEN 1 AND 1000
        OR (job ->> 'numAttemptsAllowed')::numeric % 1 <> 0) THEN
      RAISE EXCEPTION '%.numAttemptsAllowed: an integer from 1 to 1000', path
        USING ERRCODE = 'invalid_parameter_value', DETAIL = 'INVALID_ARGUMENT';
    END IF;
    IF job ? 'runAfterTimestampMillis' AND (jsonb_typeof(job -> 'runAfterTimestampMillis') IS DISTINCT FROM 'number'
        OR (job ->> 'runAfterTimestampMillis')::numeric NOT BETWEEN 0 AND 253402300799999
        OR (job ->> 'runAfterTimestampMillis')::numeric % 1 <> 0) THEN
      RAISE EXCEPTION '%.runAfterTimestampMillis: epoch milliseconds, an integer from 0 to 253402300799999', path
        USING ERRCODE = 'invalid_parameter_value', DETAIL = 'INVALID_ARGUMENT';
    END IF;
    IF job ? 'customStatus' AND (jsonb_typeof(job -> 'customStatus') IS DISTINCT FROM 'string'
        OR length(job ->> 'customStatus') > 4000) THEN
      RAISE EXCEPTION '%.customStatus: a string of at most 4000 characters', path
        USING ERRCODE = 'invalid_parameter_value', DETAIL = 'INVALID_ARGUMENT';
    END IF;
  END LOOP;

  -- The statement of queue/sql/enqueueJobs.ts: jobs in input order, one `enqueued` event each.
  RETURN QUERY
  WITH input AS (
    SELECT e ->> 'body' AS body,
           coalesce((e ->> 'priority')::numeric::smallint, 1) AS priority,
           to_timestamp((e ->> 'runAfterTimestampMillis')::numeric / 1000) AS run_after,
           coalesce((e ->> 'numAttemptsAllowed')::numeric::int, 2) AS attempts,
           coalesce(e ->> 'customStatus', '') AS custom_status,
           ord
      FROM jsonb_array_elements(enqueue_jobs.jobs) WITH ORDINALITY AS t(e, ord)
  ), ins AS (
    INSERT INTO queue_job (queue_name, body, priority, run_after, attempts_allowed, attempts_remaining,
                           custom_status, created_at, updated_at)
    SELECT enqueue_jobs.queue_name, input.body, input.priority, coalesce(input.run_after, t_now), input.attempts,
           input.attempts, input.custom_status, t_now, t_now
      FROM input ORDER BY ord
    RETURNING queue_job.id
  ), ev AS (
    INSERT INTO event_log (at, project, entity_kind, entity_id, action, from_state, to_state, reason, actor, payload)
    SELECT t_now, q_project, 'queue_job', ins.id::text, 'enqueued', NULL, 'PENDING', '', enqueue_jobs.actor, NULL
      FROM ins
  )
  SELECT enqueue_jobs.queue_name || ':' || ins.id FROM ins ORDER BY ins.id;

  -- Wake-ups, delivered at commit (none if the caller rolls back): now for jobs due now, else at the earliest.
  SELECT bool_or(r IS NULL OR r <= t_now), min(r) FILTER (WHERE r > t_now) INTO due, later
    FROM (SELECT to_timestamp((e ->> 'runAfterTimestampMillis')::numeric / 1000) AS r
            FROM jsonb_array_elements(enqueue_jobs.jobs) AS t(e)) runs;
  IF due THEN
    PERFORM pg_notify('hourglass_jobs', enqueue_jobs.queue_name);
  END IF;
  IF later IS NOT NULL THEN
    PERFORM pg_notify('hourglass_jobs_due', (extract(epoch FROM later) * 1000)::bigint || ':' || enqueue_jobs.queue_name);
  END IF;
END $$;

-- One job: SELECT hourglass.enqueue_job('emails', '{"to": "a@example.com"}');
CREATE FUNCTION hourglass.enqueue_job(queue_name text, body text, priority int DEFAULT 1, run_after timestamptz DEFAULT NULL,
                                      attempts int DEFAULT 2, custom_status text DEFAULT '', actor text DEFAULT 'system:sql')
RETURNS text
LANGUAGE sql VOLATILE
SET search_path FROM CURRENT
AS $$
  SELECT hourglass.enqueue_jobs(queue_name, jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
    'body', body, 'priority', priority, 'numAttemptsAllowed', attempts, 'customStatus', custom_status,
    'runAfterTimestampMillis', (extract(epoch FROM run_after) * 1000)::bigint))), actor)
$$;
