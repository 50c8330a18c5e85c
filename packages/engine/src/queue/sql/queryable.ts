import type pg from "pg";

/** A pool or a client: anything hand-written SQL can run on. */
export type Queryable = Pick<pg.Pool, "query">;

/** Builds one history entry (see hg_history_push in the first migration). */
export const historyEntry = (at: string, state: string, by: string, note: string) =>
  `jsonb_build_object('at', ${at}, 'state', ${state}, 'by', ${by}, 'note', ${note})`;

/** The channel enqueue and retry notify on; the payload is the queue name. */
export const JOBS_CHANNEL = "hourglass_jobs";
