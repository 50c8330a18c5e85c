"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/lib/trpc";
import { useRangeBounds, useInvocationListUrlState } from "@/lib/url-state";
import { BulkBar } from "./bulk-bar";
import { useInvocationBulk } from "./invocation-bulk";
import { PageCheckbox, RowCheckbox, useSelection, type Selection } from "./selection";
import { TimeRangeFilter } from "./time-range-filter";
import { Badge, Button, ErrorText, Time } from "./ui";

const PAGE = 25;

/**
 * A scheduler job's invocations: the active ones, then finished ones in
 * keyset pages, optionally only those started in a time range. The range and
 * the page live in the URL, so a reload or a shared link shows the same rows.
 */
export function InvocationList({ project, id }: { project: string; id: string }) {
  const trpc = useTRPC();
  const job = `${project}/${id}`;
  const url = useInvocationListUrlState();
  const range = useRangeBounds(url.state, job);
  const started = { startedSinceTimestampMillis: range.since, startedUntilTimestampMillis: range.until };
  const enabled = range.problem === undefined;
  const active = useQuery({ ...trpc.scheduler.getInvocations.queryOptions({ job, activeOnly: true, pageSize: 50, ...started }), enabled });
  const cursors = url.state.pages;
  const finished = useQuery({
    ...trpc.scheduler.getInvocations.queryOptions({ job, finishedOnly: true, pageSize: PAGE, cursor: cursors[cursors.length - 1], ...started }),
    placeholderData: keepPreviousData,
    enabled,
  });
  const rows = [...(cursors.length === 0 ? active.data?.invocations ?? [] : []), ...(finished.data?.invocations ?? [])];
  const selection = useSelection(rows.map((i) => i.id), `${JSON.stringify(url.state)}`);
  const actions = useInvocationBulk(project, id);
  const ranged = range.since !== undefined || range.until !== undefined;
  // "all matching" is every active invocation of the job (what abort applies to), counted from the list
  const activeCount = active.data ? { count: active.data.invocations.length, capped: active.data.nextCursor !== null } : null;
  return (
    <div className="space-y-3">
      <TimeRangeFilter label="Started" value={url.state} problem={range.problem} onChange={(patch) => void url.set({ ...patch, pages: null })} />
      <ErrorText error={active.error ?? finished.error} />
      <BulkBar selection={selection} pageSize={rows.length} noun="invocations" actions={actions}
        allLabel={(n) => `all ${n} active invocations of this job`}
        matching={ranged || !activeCount || activeCount.count === 0 ? null : activeCount}
        noFilterReason={ranged ? "aborting by filter takes every active invocation, whatever the range" : undefined} />
      <InvocationTable project={project} id={id} rows={rows} selection={selection} />
      <div className="flex items-center justify-end gap-2">
        <span className="text-sm text-slate-500">Page {cursors.length + 1}</span>
        <Button disabled={cursors.length === 0} onClick={() => void url.set({ pages: cursors.slice(0, -1) })}>Newer</Button>
        <Button disabled={!finished.data?.nextCursor} onClick={() => void url.set({ pages: [...cursors, finished.data!.nextCursor!] })}>
          Older
        </Button>
      </div>
    </div>
  );
}

type Row = { id: string; state: string; startedTimestampMillis: number; finishedTimestampMillis: number | null; triggeredBy: string; retryCount: number };

function InvocationTable({ project, id, rows, selection }: { project: string; id: string; rows: Row[]; selection: Selection<string> }) {
  if (rows.length === 0) return <p className="text-sm text-slate-500">No invocations.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full text-sm">
        <thead className="text-left text-xs uppercase text-slate-500">
          <tr>
            <th className="w-6 py-1 pr-2"><PageCheckbox selection={selection} /></th>
            <th className="py-1 pr-4">#</th><th className="pr-4">State</th><th className="pr-4">Started</th>
            <th className="pr-4">Duration</th><th className="pr-4">Triggered by</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((i) => (
            <tr key={i.id} data-invocation={i.id}>
              <td className="py-1 pr-2"><RowCheckbox selection={selection} rowKey={i.id} label={`invocation ${i.id}`} /></td>
              <td className="py-1 pr-4 font-mono">
                <Link className="text-indigo-700 hover:underline dark:text-indigo-300" href={`/jobs/${project}/${id}/${i.id}`}>{i.id}</Link>
              </td>
              <td className="pr-4"><Badge state={i.state} /></td>
              <td className="pr-4"><Time ms={i.startedTimestampMillis} /></td>
              <td className="pr-4 tabular-nums">
                {i.finishedTimestampMillis ? `${((i.finishedTimestampMillis - i.startedTimestampMillis) / 1000).toFixed(1)} s` : "running"}
              </td>
              <td className="pr-4">{i.triggeredBy}{i.retryCount ? ` · ${i.retryCount} launch retr${i.retryCount === 1 ? "y" : "ies"}` : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
