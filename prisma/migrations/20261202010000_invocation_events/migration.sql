-- Invocation debug logs written before the event log become the invocations' history (scheduler.invocationHistory):
-- one event per stamped line ("[hh:mm:ss.mmm] message"), oldest first. The lines that name a transition become it —
-- "invocation created by triage / the tick timer" (created, to STARTING / RUNNING) and "invocation <STATE>[ by <who>]"
-- (succeeded / failed / aborted, by <who>); every other line is a `log` event with the line as its reason. Task output
-- (the unstamped lines under "stdout:" / "stderr:") stays in the debug log only. A line's date is its invocation's
-- start day, or the next day when its time of day is earlier than the start (a log that crossed midnight UTC).
-- Invocations that already have events are left alone, so running this again adds nothing. No schema change.
INSERT INTO "event_log" ("at", "project", "entity_kind", "entity_id", "action", "from_state", "to_state", "reason",
                         "actor", "payload")
SELECT l.at, split_part(i.job_key, '/', 1), 'invocation', i.id::text,
       CASE WHEN l.msg ~ '^invocation created by ' THEN 'created'
            WHEN l.msg ~ '^invocation (SUCCEEDED|FAILED|ABORTED)( by .+)?$' THEN lower(substring(l.msg FROM '^invocation ([A-Z]+)'))
            ELSE 'log' END,
       NULL,
       CASE WHEN l.msg ~ '^invocation created by the tick timer' THEN 'RUNNING'
            WHEN l.msg ~ '^invocation created by ' THEN 'STARTING'
            WHEN l.msg ~ '^invocation (SUCCEEDED|FAILED|ABORTED)( by .+)?$' THEN substring(l.msg FROM '^invocation ([A-Z]+)')
            END,
       left(l.msg, 2000),
       coalesce(substring(l.msg FROM '^invocation (?:SUCCEEDED|FAILED|ABORTED) by (.+)$'), 'system:migration'),
       jsonb_build_object('job', i.job_key, 'migrated', true)
  FROM "scheduler_invocation" i
  CROSS JOIN LATERAL (
    SELECT s.n, substring(s.line FROM 16) AS msg,
           CASE WHEN d.t < (i.started_at AT TIME ZONE 'UTC') - interval '1 minute' THEN d.t + interval '1 day' ELSE d.t END
             AT TIME ZONE 'UTC' AS at
      FROM regexp_split_to_table(i.debug_log, E'\n') WITH ORDINALITY AS s(line, n)
      CROSS JOIN LATERAL (
        SELECT date_trunc('day', i.started_at AT TIME ZONE 'UTC') + substring(s.line FROM 2 FOR 12)::time AS t
      ) d
     WHERE s.line ~ '^\[[0-2][0-9]:[0-5][0-9]:[0-5][0-9]\.[0-9]{3}\] '
  ) l
 WHERE i.debug_log <> ''
   AND NOT EXISTS (SELECT 1 FROM "event_log" e WHERE e.entity_kind = 'invocation' AND e.entity_id = i.id::text)
 ORDER BY i.id, l.n;
