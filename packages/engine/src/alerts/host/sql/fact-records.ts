import type { Sql } from "@hourglass/db";
import { isBigintId } from "../../../bounds.ts";
import type { InvocationRecord, RequestRecord } from "../../facts.ts";

/**
 * Invocations $1 with their job, incoming triggers, and the outcome of the
 * job's newest earlier invocation (by id) that ended SUCCEEDED or FAILED:
 * a backward walk of the (job_key, id) index that stops at the first one.
 */
const INVOCATIONS = `
SELECT i.id::text AS id, i.job_key, i.incoming_triggers,
       (SELECT p.state::text FROM scheduler_invocation p
         WHERE p.job_key = i.job_key AND p.id < i.id AND p.state IN ('SUCCEEDED', 'FAILED')
         ORDER BY p.id DESC LIMIT 1) AS previous
  FROM scheduler_invocation i
 WHERE i.id = ANY($1::bigint[])`;

export async function invocationRecords(sql: Sql, ids: string[]): Promise<Map<string, InvocationRecord>> {
  const valid = [...new Set(ids.filter(isBigintId))]; // an entity id that is no invocation id is no invocation
  if (valid.length === 0) return new Map();
  const r = await sql.query<{ id: string; job_key: string; incoming_triggers: unknown; previous: string | null }>(INVOCATIONS, [valid]);
  return new Map(r.rows.map((row) => [row.id, {
    id: row.id, jobKey: row.job_key, previousOutcome: row.previous, incomingTriggers: row.incoming_triggers,
  }]));
}

export async function requestRecords(sql: Sql, ids: string[]): Promise<Map<string, RequestRecord>> {
  if (ids.length === 0) return new Map();
  const r = await sql.query<RequestRecord>(`SELECT id, type, project FROM request WHERE id = ANY($1::text[])`, [[...new Set(ids)]]);
  return new Map(r.rows.map((row) => [row.id, row]));
}
