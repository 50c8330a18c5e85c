"use client";
import { REQUEST_STATES as STATES } from "@hourglass/engine/states";
import { useEffect, useState, type FormEvent } from "react";
import { TimeRangeFilter } from "@/components/time-range-filter";
import { Badge, Button, controlClass } from "@/components/ui";
import { formatArgsFilter, parseArgsFilter } from "@/lib/args-filter";
import type { TimeRange } from "@/lib/time-range";
import { useRequestsQuery } from "@/lib/url-state";

/**
 * The Requests page's filters, kept in the URL (lib/url-state.ts): type,
 * user, states, args (name=value …) and when the requests ran. Choices apply
 * at once; typed text on Enter or "Filter". Any change goes back to page 1.
 */
export function RequestFilters({ types, rangeProblem }: { types: string[]; rangeProblem?: string }) {
  const [query, setQuery] = useRequestsQuery();
  const [user, setUser] = useState(query.user);
  const [args, setArgs] = useState(formatArgsFilter(query.args));
  const argsKey = JSON.stringify(query.args);
  useEffect(() => setUser(query.user), [query.user]);
  useEffect(() => setArgs(formatArgsFilter(JSON.parse(argsKey) as Record<string, string>)), [argsKey]);
  const parsed = parseArgsFilter(args);
  const change = (patch: Partial<typeof query>) => void setQuery({ ...patch, page: null });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!parsed.problem) change({ user, args: parsed.args });
  };
  return (
    <form aria-label="Filters" onSubmit={submit} className="flex flex-wrap items-end gap-3 text-sm">
      <label className="flex flex-col gap-1">Type
        <select aria-label="Type" className={controlClass} value={query.type} onChange={(e) => change({ type: e.target.value })}>
          <option value="">any</option>
          {types.map((t) => <option key={t} value={t}>{t}</option>)}
          {query.type && !types.includes(query.type) && <option value={query.type}>{query.type}</option>}
        </select>
      </label>
      <label className="flex flex-col gap-1">User
        <input aria-label="User" className={`${controlClass} w-36`} value={user} onChange={(e) => setUser(e.target.value)} />
      </label>
      <label className="flex flex-col gap-1">Args
        <input aria-label="Args" placeholder="name=value …" className={`${controlClass} w-56 font-mono`} value={args}
          onChange={(e) => setArgs(e.target.value)} aria-invalid={parsed.problem !== undefined} title={parsed.problem} />
      </label>
      <TimeRangeFilter label="Active" value={query as TimeRange} problem={rangeProblem} onChange={(p) => change(p)} />
      <Button type="submit" disabled={parsed.problem !== undefined} title={parsed.problem}>Filter</Button>
      <fieldset className="flex basis-full flex-wrap gap-2" aria-label="States">
        {STATES.map((s) => (
          <label key={s} className="flex items-center gap-1">
            <input type="checkbox" checked={query.states.includes(s)}
              onChange={(e) => change({ states: e.target.checked ? [...query.states, s] : query.states.filter((x) => x !== s) })} />
            <Badge state={s} />
          </label>
        ))}
      </fieldset>
      {parsed.problem && <p role="alert" className="basis-full text-xs text-rose-700 dark:text-rose-300">{parsed.problem}</p>}
    </form>
  );
}
