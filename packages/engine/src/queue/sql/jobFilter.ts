/**
 * The WHERE clause shared by count, scan and delete: queue + state, then
 * optional priority, present-vs-future runAfter, a runAfter range and a body regex. Every
 * variant starts with (queue_name, state, priority) so it uses
 * queue_job_scan_idx.
 */
export interface JobFilter {
  queueName: string;
  state: string;
  priority?: number;
  /** true: runAfter > now; false: runAfter <= now; undefined: both. */
  future?: boolean;
  /** runAfter in [runAfterFrom, runAfterTo): a time range, still within queue_job_scan_idx's order. */
  runAfterFrom?: Date;
  runAfterTo?: Date;
  bodyRegex?: string;
  now: Date;
}

export function jobFilterSql(f: JobFilter, params: unknown[]): string {
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  let sql = `queue_name = ${p(f.queueName)} AND state = ${p(f.state)}::"QueueJobState"`;
  if (f.priority !== undefined) sql += ` AND priority = ${p(f.priority)}`;
  if (f.future === true) sql += ` AND run_after > ${p(f.now)}`;
  if (f.future === false) sql += ` AND run_after <= ${p(f.now)}`;
  if (f.runAfterFrom) sql += ` AND run_after >= ${p(f.runAfterFrom)}`;
  if (f.runAfterTo) sql += ` AND run_after < ${p(f.runAfterTo)}`;
  if (f.bodyRegex) sql += ` AND body ~ ${p(f.bodyRegex)}`;
  return sql;
}
