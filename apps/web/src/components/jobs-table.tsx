"use client";
import { QUEUE_JOB_STATES, type QueueJobState } from "@hourglass/engine/states";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc";
import { useJobListUrlState, useRangeBounds } from "@/lib/url-state";
import { BulkBar } from "./bulk-bar";
import { useQueueJobBulk } from "./queue-job-bulk";
import { PageCheckbox, RowCheckbox, useSelection } from "./selection";
import { TimeRangeFilter } from "./time-range-filter";
import { Badge, Button, controlClass, ErrorText, formatCount, Time } from "./ui";

const PAGE = 25;

/**
 * scanJobs with the operator's filters (kept in the URL) and keyset pages.
 * PENDING jobs are listed due or scheduled later (runAfter in the future),
 * as scanJobs reads them; `pendingLater` (how many are later) lets the list
 * say what the other view holds, so it agrees with the PENDING count.
 */
export function JobsTable({ queueName, project, pendingLater, countCap }: {
  queueName: string; pendingLater: number; countCap: number;
  /** The queue's project: with it, rows can be selected and acted on in bulk (not on system queues). */
  project?: string;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const state = (QUEUE_JOB_STATES as readonly string[]).includes(params.get("state") ?? "") ? (params.get("state") as QueueJobState) : "PENDING";
  const priority = params.get("priority") ? Number(params.get("priority")) : undefined;
  const future = params.get("future") === "1";
  const regex = params.get("regex") ?? "";
  const [regexDraft, setRegexDraft] = useState(regex);
  // the runAfter range and the continuations of the pages before this one live in the URL too (lib/url-state.ts)
  const url = useJobListUrlState();
  const pages = ["0", ...url.state.pages];
  const setPages = (next: string[]) => void url.set({ pages: next.slice(1) });
  const range = useRangeBounds(url.state, `${state}|${priority}|${future}|${regex}`);
  const ranged = range.since !== undefined || range.until !== undefined;
  const filterKey = `${state}|${priority}|${future}|${regex}|${range.since}|${range.until}`;

  const setFilter = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(changes)) v ? next.set(k, v) : next.delete(k);
    next.delete("pages"); // a new filter starts at its first page
    router.replace(`${pathname}?${next.toString()}`, { scroll: false });
  };

  const scan = useQuery({
    ...trpc.queues.scanJobs.queryOptions({
      queueName, jobState: state, priority, scanFutureJobs: future, limit: PAGE,
      continuation: pages[pages.length - 1]!, ...(regex && { bodyRegexToMatch: regex }),
      runAfterSinceTimestampMillis: range.since, runAfterUntilTimestampMillis: range.until,
    }),
    placeholderData: keepPreviousData,
    enabled: range.problem === undefined,
  });
  const rows = scan.data?.scannedJobs ?? [];
  const selection = useSelection(rows.map((j) => j.jobDescriptor), `${filterKey}|${pages.length}`);
  const bulk = useQueueJobBulk({ name: queueName, project: project ?? "" }, { state, priority, future, regex },
    project !== undefined && (selection.count > 0 || selection.allMatching));

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <div role="tablist" aria-label="State" className="flex flex-wrap gap-1">
          {QUEUE_JOB_STATES.map((s) => (
            <button key={s} role="tab" aria-selected={s === state} onClick={() => setFilter({ state: s })}
              className={`rounded-md px-3 py-1.5 text-sm ${s === state ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900" : "bg-white text-slate-700 ring-1 ring-slate-200 hover:bg-slate-50 dark:bg-slate-900 dark:text-slate-200 dark:ring-slate-700"}`}>
              {s}
            </button>
          ))}
        </div>
        <select aria-label="Priority" className={controlClass} value={priority ?? ""} onChange={(e) => setFilter({ priority: e.target.value || undefined })}>
          <option value="">all priorities</option><option value="1">priority 1</option><option value="2">priority 2</option><option value="3">priority 3</option>
        </select>
        {state === "PENDING" ? (
          <div role="group" aria-label="When due" className="flex gap-1">
            {[{ later: false, label: "Due now" }, { later: true, label: `Scheduled later (${formatCount(pendingLater, countCap)})` }].map((v) => (
              <button key={String(v.later)} aria-pressed={future === v.later} onClick={() => setFilter({ future: v.later ? "1" : undefined })}
                className={`rounded-md px-2.5 py-1 text-sm ${future === v.later ? "bg-indigo-600 text-white" : "ring-1 ring-slate-200 hover:bg-slate-50 dark:ring-slate-700 dark:hover:bg-slate-800"}`}>
                {v.label}
              </button>
            ))}
          </div>
        ) : (
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={future} onChange={(e) => setFilter({ future: e.target.checked ? "1" : undefined })} /> future (runAfter later than now)
          </label>
        )}
        <form className="flex gap-2" onSubmit={(e) => (e.preventDefault(), setFilter({ regex: regexDraft || undefined }))}>
          <input aria-label="Body regex" placeholder="body regex" className={`${controlClass} w-48 font-mono`} value={regexDraft} onChange={(e) => setRegexDraft(e.target.value)} />
          <Button type="submit">Filter</Button>
        </form>
        <TimeRangeFilter label="Run after" value={url.state} problem={range.problem}
          onChange={(patch) => void url.set({ ...patch, pages: null })} />
      </div>
      <ErrorText error={scan.error} />
      {state === "PENDING" && !future && pendingLater > 0 && (
        <p data-testid="later-note" className="text-sm text-slate-500">
          Showing pending jobs that are due. {formatCount(pendingLater, countCap)} more {pendingLater === 1 ? "is" : "are"} scheduled
          later (runAfter in the future):{" "}
          <button className="text-indigo-700 hover:underline dark:text-indigo-300" onClick={() => setFilter({ future: "1" })}>show them</button>.
        </p>
      )}
      {project !== undefined && (
        <BulkBar selection={selection} pageSize={rows.length} matching={ranged ? null : bulk.matching} noun="jobs" actions={bulk.actions}
          noFilterReason={ranged ? "a bulk action's filter has no time range: select jobs on the page, or choose Any time" : undefined} />
      )}
      {/* while a new filter's page loads, the previous page stays on screen, dimmed and marked busy */}
      <div className={`overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900 ${scan.isPlaceholderData ? "opacity-60" : ""}`}>
        <table className="min-w-full text-sm" data-testid="jobs-table" aria-busy={scan.isPlaceholderData}>
          <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500 dark:bg-slate-800/50 dark:text-slate-400">
            <tr>
              {project !== undefined && <th className="w-8 px-3 py-2"><PageCheckbox selection={selection} /></th>}
              <th className="px-4 py-2">Job</th><th className="px-4 py-2">State</th><th className="px-4 py-2">Priority</th>
              <th className="px-4 py-2">Attempts left</th><th className="px-4 py-2">Custom status</th>
              <th className="px-4 py-2">Run after</th><th className="px-4 py-2">Updated</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {scan.data?.scannedJobs.map((j) => (
              <tr key={j.jobDescriptor} data-job={j.jobDescriptor} className="hover:bg-slate-50 dark:hover:bg-slate-800/40">
                {project !== undefined && (
                  <td className="px-3 py-2"><RowCheckbox selection={selection} rowKey={j.jobDescriptor} label={j.jobDescriptor} /></td>
                )}
                <td className="px-4 py-2 font-mono">
                  <Link className="text-indigo-700 hover:underline dark:text-indigo-300" href={`/queues/${queueName}/jobs/${j.jobDescriptor.split(":")[1]}`}>{j.jobDescriptor}</Link>
                </td>
                <td className="px-4 py-2"><Badge state={j.jobState} /></td>
                <td className="px-4 py-2">{j.priority}</td>
                <td className="px-4 py-2 tabular-nums">{j.attemptsRemaining} / {j.attemptsAllowed}</td>
                <td className="max-w-[16rem] truncate px-4 py-2" title={j.customStatus}>{j.customStatus}</td>
                <td className="px-4 py-2"><Time ms={j.runAfterTimestampMillis} /></td>
                <td className="px-4 py-2"><Time ms={j.updatedAtTimestampMillis} /></td>
              </tr>
            ))}
            {scan.data?.scannedJobs.length === 0 && (
              <tr><td colSpan={project !== undefined ? 8 : 7} className="px-4 py-8 text-center text-slate-500">No {state.toLowerCase().replace("_", " ")} jobs{future ? (state === "PENDING" ? " scheduled later" : " in the future") : state === "PENDING" ? " due now" : ""} match.</td></tr>
            )}
          </tbody>
        </table>
      </div>
      <div className="flex items-center justify-between text-sm">
        <span className="text-slate-500">Page {pages.length} · newest runAfter first</span>
        <div className="flex gap-2">
          <Button disabled={pages.length === 1} onClick={() => setPages(pages.slice(0, -1))}>Newer</Button>
          <Button disabled={!scan.data || scan.data.continuation === "-1"} onClick={() => setPages([...pages, scan.data!.continuation])}>Older</Button>
        </div>
      </div>
    </div>
  );
}
