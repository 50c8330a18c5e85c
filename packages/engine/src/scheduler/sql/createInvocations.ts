import type { Sql } from "@hourglass/db";
import { triggerEntitySql } from "../trigger-states.ts";
import { EVENT_COLUMNS, projectOfSql } from "./events.ts";

/** A trigger as an invocation keeps it (incoming_triggers) and its task receives it. */
export interface IncomingTrigger {
  id: string;
  title: string;
  url: string | null;
  createdAt: number;
  emittedBy: string;
  properties: unknown;
  tags: string[];
}

export interface NewInvocation {
  jobKey: string;
  /** STARTING when triage creates it; RUNNING when a quiet job's tick timer does (it launches at once). */
  state: "STARTING" | "RUNNING";
  revision: string;
  task: unknown;
  triggeredBy: string;
  incoming: IncomingTrigger[];
  properties: Record<string, unknown>;
  tags: string[];
  /** The tick timer (queue job) that created it, on the tick timer's path. */
  timerJobId: string | null;
  /** Its first debug-log lines. */
  log: string;
  /** The pending trigger rows it consumes (scheduler_trigger.id). */
  consumes: string[];
  /**
   * Cron ticks it consumes on arrival (a quiet job's tick timer): they get no
   * row and no event of their own — its `created` event carries them
   * (`payload.ticks`), one event rather than two on the cron hot path.
   */
  arrived: { id: string; title: string; properties: Record<string, unknown> }[];
  /** Its `created` event's reason. */
  reason: string;
}

/**
 * The one statement that creates invocations: inserts them, marks the
 * triggers they consume (guarded: still pending), and appends the events —
 * one `created` per invocation (naming the ticks it consumed on arrival),
 * one `consumed` per trigger row. Ids are drawn from the sequence first, so
 * each input row keeps its own. Input is one JSON document: JSON.stringify
 * is far cheaper than pg's array-literal escaping for a slot of 10,000.
 */
const SQL = `
WITH u AS MATERIALIZED (
  SELECT nextval('scheduler_invocation_id_seq') AS id, u.*
    FROM ROWS FROM (jsonb_to_recordset($2::jsonb) AS (
           job_key text, state text, revision text, task jsonb, triggered_by text, incoming jsonb, properties jsonb,
           tags text[], timer bigint, log text, consumes bigint[], arrived jsonb, reason text)) WITH ORDINALITY
         AS u(job_key, state, revision, task, triggered_by, incoming, properties, tags, timer, log, consumes, arrived,
              reason, ord)
), ins AS (
  INSERT INTO scheduler_invocation (id, job_key, state, revision, task, triggered_by, incoming_triggers, properties,
                                    tags, started_at, timer_job_id, debug_log)
  SELECT id, job_key, state::"InvocationState", revision, task, triggered_by, incoming, properties,
         coalesce(tags, '{}'), $1, timer, log
    FROM u
), consumed AS (
  UPDATE scheduler_trigger t SET invocation_id = c.inv
    FROM (SELECT u.id AS inv, unnest(u.consumes) AS row_id FROM u) c
   WHERE t.id = c.row_id AND t.invocation_id IS NULL AND t.discarded_at IS NULL
  RETURNING t.job_key, t.trigger_id, c.inv
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $1, ${projectOfSql("u.job_key")}, 'invocation', u.id::text, 'created', NULL, u.state, u.reason, $3,
         jsonb_build_object('job', u.job_key, 'revision', u.revision, 'triggers', jsonb_array_length(u.incoming))
           || CASE WHEN jsonb_array_length(u.arrived) > 0 THEN jsonb_build_object('ticks', u.arrived) ELSE '{}' END
    FROM u
  UNION ALL
  SELECT $1, ${projectOfSql("c.job_key")}, 'trigger', ${triggerEntitySql("c.job_key", "c.trigger_id")}, 'consumed',
         'PENDING', 'CONSUMED', 'started invocation ' || c.inv, $3, jsonb_build_object('invocation', c.inv::text)
    FROM consumed c

)
SELECT id::text AS id FROM u ORDER BY ord`;

/**
 * Creates invocations; returns their ids in input order. `actor` created them
 * (and consumed their trigger rows). Run it in the transaction that decided
 * them (job rows locked).
 */
export async function createInvocations(sql: Sql, now: Date, rows: NewInvocation[], actor: string): Promise<string[]> {
  if (rows.length === 0) return [];
  const doc = rows.map((r) => ({
    job_key: r.jobKey, state: r.state, revision: r.revision, task: r.task, triggered_by: r.triggeredBy,
    incoming: r.incoming, properties: r.properties, tags: r.tags, timer: r.timerJobId, log: r.log,
    consumes: r.consumes, arrived: r.arrived, reason: r.reason,
  }));
  const r = await sql.query<{ id: string }>(SQL, [now, JSON.stringify(doc), actor]);
  return r.rows.map((row) => row.id);
}
