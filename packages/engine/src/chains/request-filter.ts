/**
 * Spin Cycle's request filter as SQL, shared by find, the bounded count and
 * the bulk actions, so that "N match" and what an action takes agree.
 * `since` / `until` select requests that were running at any point in the
 * window: started before `until` and not finished before `since`.
 */
export interface RequestFilter {
  type?: string;
  states: readonly string[];
  user?: string;
  args: Record<string, unknown>;
  since?: number;
  until?: number;
}

/** The WHERE conditions (joined with AND; empty = every request); values are appended to `values`. */
export function requestFilterSql(f: RequestFilter, values: unknown[]): string[] {
  const where: string[] = [];
  const add = (clause: (n: string) => string, value: unknown) => {
    values.push(value);
    where.push(clause(`$${values.length}`));
  };
  if (f.type) add((n) => `type = ${n}`, f.type);
  if (f.states.length) add((n) => `state::text = ANY(${n}::text[])`, f.states);
  if (f.user) add((n) => `"user" = ${n}`, f.user);
  if (Object.keys(f.args).length) add((n) => `args @> ${n}::jsonb`, JSON.stringify(f.args));
  if (f.since !== undefined) add((n) => `(finished_at IS NULL OR finished_at >= ${n})`, new Date(f.since));
  if (f.until !== undefined) add((n) => `coalesce(started_at, created_at) <= ${n}`, new Date(f.until));
  return where;
}
