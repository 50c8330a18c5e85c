import { EVENT_COLUMNS } from "../../events/sql/columns.ts";

/**
 * The INSERT that appends a request's or chain job's events inside the
 * statement that changes it, over the rows of `from` (SQL: a CTE, joins and a
 * WHERE). Each field is an SQL expression over those rows. A statement whose
 * guard matched nothing has no rows, so it writes no event.
 */
export function chainEvents(e: {
  kind: "request" | "chain_job";
  from: string;
  at: string;
  project: string;
  entityId: string;
  action: string;
  fromState: string;
  toState: string;
  reason: string;
  actor: string;
  payload: string;
}): string {
  return `INSERT INTO event_log (${EVENT_COLUMNS})
  SELECT ${e.at}, ${e.project}, '${e.kind}', ${e.entityId}, ${e.action}, ${e.fromState}, ${e.toState}, ${e.reason},
         ${e.actor}, ${e.payload}
    FROM ${e.from}`;
}

/** A chain job's entity id in the log: "<request id>/<job id>". */
export const chainJobEntity = (requestId: string, jobId: string) => `${requestId} || '/' || ${jobId}`;

/** A try's payload: `{"try": n}` plus any other fields given as SQL pairs. */
export const tryPayload = (tryNumber: string, ...more: [string, string][]) =>
  `jsonb_build_object('try', ${tryNumber}${more.map(([k, v]) => `, '${k}', ${v}`).join("")})`;
