import type { Sql } from "@hourglass/db";
import { chainEvents } from "./events.ts";

/**
 * A request is created PENDING, with its `created` event.
 *   $1 id, $2 type, $3 project, $4 user, $5 args, $6 now, $7 total jobs, $8 spec revision,
 *   $9 invocation id, $10 actor
 */
const SQL = `
WITH r AS (
  INSERT INTO request (id, type, project, state, "user", args, created_at, total_jobs, spec_revision, invocation_id)
  VALUES ($1, $2, $3, 'PENDING', $4, $5, $6, $7, $8, $9)
  RETURNING id, project
)
${chainEvents({
  kind: "request", from: "r", at: "$6", project: "r.project", entityId: "r.id", action: "'created'",
  fromState: "NULL", toState: "'PENDING'", reason: "''", actor: "$10",
  payload: "jsonb_build_object('type', $2::text, 'jobs', $7::int, 'invocation', $9::text)",
})}`;

export interface NewRequest {
  id: string;
  type: string;
  project: string;
  user: string;
  args: Record<string, unknown>;
  totalJobs: number;
  specRevision: string;
  invocationId: string | null;
}

export async function insertRequest(sql: Sql, r: NewRequest, now: Date, actor: string): Promise<void> {
  await sql.query(SQL, [
    r.id, r.type, r.project, r.user, JSON.stringify(r.args), now, r.totalJobs, r.specRevision, r.invocationId, actor,
  ]);
}
