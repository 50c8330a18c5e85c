-- Requests and chain jobs recorded before the event log (issue 13): their histories, rebuilt from what the rows kept,
-- so every request's and chain job's history reads the log. What the rows never kept — who started or stopped a
-- request, its suspends and resumes before the last, the state a final request came from — is not invented: those
-- events name 'system:migration' (a request's creation names its user), leave from_state empty where it is unknown,
-- and carry {"migrated": true}. A try that has a later try of the same job was retried (or interrupted, if STOPPED);
-- a try lost with its worker has no end of its own: the next try began from RUNNING, as beginJob records it now.

INSERT INTO "event_log" ("at", "project", "entity_kind", "entity_id", "action", "from_state", "to_state", "reason", "actor", "payload")
SELECT e.at, e.project, 'request', e.id, e.action, e.from_state, e.to_state, '', e.actor, '{"migrated": true}'::jsonb
  FROM (
    SELECT id, project, created_at AS at, 1 AS ord, 'created' AS action, NULL AS from_state, 'PENDING' AS to_state,
           "user" AS actor
      FROM "request"
    UNION ALL
    SELECT id, project, started_at, 2, 'started', 'PENDING', 'RUNNING', 'system:migration'
      FROM "request" WHERE started_at IS NOT NULL
    UNION ALL
    SELECT id, project, suspended_at, 3, 'suspended', 'RUNNING', 'SUSPENDED', 'system:migration'
      FROM "request" WHERE state = 'SUSPENDED' AND suspended_at IS NOT NULL
    UNION ALL
    SELECT id, project, finished_at, 4,
           CASE state WHEN 'COMPLETE' THEN 'completed' WHEN 'FAIL' THEN 'failed' ELSE 'stopped' END,
           CASE WHEN state = 'COMPLETE' THEN 'RUNNING' WHEN started_at IS NULL THEN 'PENDING' END,
           state::text, 'system:migration'
      FROM "request" WHERE finished_at IS NOT NULL
  ) e
 ORDER BY e.id, e.ord;

INSERT INTO "event_log" ("at", "project", "entity_kind", "entity_id", "action", "from_state", "to_state", "reason", "actor", "payload")
SELECT e.at, r.project, 'chain_job', e.request_id || '/' || e.job_id, e.action, e.from_state, e.to_state, '',
       'system:migration', jsonb_build_object('try', e.try, 'migrated', true)
  FROM (
    SELECT request_id, job_id, try, started_at AS at, 1 AS ord, 'began' AS action,
           CASE WHEN lag(error) OVER w LIKE 'try lost:%' THEN 'RUNNING' ELSE 'PENDING' END AS from_state,
           'RUNNING' AS to_state
      FROM "chain_job_log" WINDOW w AS (PARTITION BY request_id, job_id ORDER BY try)
    UNION ALL
    SELECT request_id, job_id, try, finished_at, 2,
           CASE WHEN state = 'COMPLETE' THEN 'completed'
                WHEN lead(try) OVER w IS NULL THEN CASE state WHEN 'STOPPED' THEN 'stopped' ELSE 'failed' END
                WHEN state = 'STOPPED' THEN 'interrupted'
                ELSE 'try-failed' END,
           'RUNNING',
           CASE WHEN state = 'COMPLETE' OR lead(try) OVER w IS NULL THEN state ELSE 'PENDING' END
      FROM "chain_job_log" WHERE error IS NULL OR error NOT LIKE 'try lost:%'
    WINDOW w AS (PARTITION BY request_id, job_id ORDER BY try)
  ) e
  JOIN "request" r ON r.id = e.request_id
 WHERE e.at IS NOT NULL
 ORDER BY e.request_id, e.job_id, e.try, e.ord;
