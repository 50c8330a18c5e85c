import { systemActor } from "../../events/kinds.ts";
import { EVENT_COLUMNS } from "../../events/sql/columns.ts";

export { EVENT_COLUMNS };

/**
 * Fragments the scheduler's statements share to append their events in the
 * same statement (`INSERT INTO event_log (${EVENT_COLUMNS}) SELECT …` over
 * their RETURNING rows). Every scheduler event's project is its job's.
 */

/** The project of a job key ("<project>/<job>"), in SQL over a text expression. */
export const projectOfSql = (jobKey: string) => `split_part(${jobKey}, '/', 1)`;

/** The project of a job key. */
export const projectOf = (jobKey: string) => jobKey.slice(0, jobKey.indexOf("/"));

/** Who the scheduler's own transitions are recorded as: triage, cron ticks, job-to-job and continuous triggers. */
export const SCHEDULER_ACTOR = systemActor("scheduler");
