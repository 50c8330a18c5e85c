import type { Sql } from "@hourglass/db";
import { triggerEntitySql } from "../trigger-states.ts";
import { EVENT_COLUMNS, projectOfSql } from "./events.ts";

export interface NewTrigger {
  jobKey: string;
  /** The emitter's id; a second trigger with the same id for the job is ignored. */
  triggerId: string;
  title: string;
  url: string | null;
  createdAt: Date;
  /** Kept on the row: the caller's id, "cron", "scheduler" (continuous runs) or the triggering job's key. */
  emittedBy: string;
  properties: Record<string, unknown>;
  tags: string[];
}

/** A pending trigger as triage reads it. */
export interface TriggerRow {
  id: string;
  job_key: string;
  trigger_id: string;
  title: string;
  url: string | null;
  created_at: Date;
  emitted_by: string;
  properties: unknown;
  tags: string[];
}

/**
 * The one statement that creates triggers (emitTriggers, cron ticks,
 * continuous jobs, job-to-job triggers): inserts the rows of jobs that are
 * neither paused nor removed, skips ids the job already had, and appends an
 * `emitted` event (→ PENDING) for each row it inserted.
 */
const SQL = `
WITH ins AS (
  INSERT INTO scheduler_trigger (job_key, trigger_id, title, url, created_at, emitted_by, properties, tags)
  SELECT t.job_key, t.trigger_id, t.title, t.url, t.created_at, t.emitted_by, t.properties, coalesce(t.tags, '{}')
    FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (job_key text, trigger_id text, title text, url text,
                    created_at timestamptz, emitted_by text, properties jsonb, tags text[])) t
    JOIN scheduler_job j ON j.key = t.job_key AND j.paused_at IS NULL AND j.removed_at IS NULL
  ON CONFLICT (job_key, trigger_id) DO NOTHING
  RETURNING id, job_key, trigger_id, title, url, created_at, emitted_by, properties, tags
), ev AS (
  INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT $2, ${projectOfSql("job_key")}, 'trigger', ${triggerEntitySql("job_key", "trigger_id")}, 'emitted',
         NULL, 'PENDING', '', $3, jsonb_build_object('title', title, 'emittedBy', emitted_by)
    FROM ins
)
SELECT id::text AS id, job_key, trigger_id, title, url, created_at, emitted_by, properties, tags FROM ins`;

/** Inserts triggers; returns the rows inserted (not those ignored). `actor` is who emitted them. */
export async function emitTriggers(sql: Sql, now: Date, triggers: NewTrigger[], actor: string): Promise<TriggerRow[]> {
  if (triggers.length === 0) return [];
  const doc = triggers.map((t) => ({
    job_key: t.jobKey, trigger_id: t.triggerId, title: t.title, url: t.url, created_at: t.createdAt,
    emitted_by: t.emittedBy, properties: t.properties, tags: t.tags,
  }));
  return (await sql.query<TriggerRow>(SQL, [JSON.stringify(doc), now, actor])).rows;
}
