"use client";
import type { QueueSummary } from "@hourglass/engine";
import { QUEUE_JOB_STATES } from "@hourglass/engine/states";
import Link from "next/link";
import { ExecutorSummary } from "./executor-summary";
import { Badge, formatCount } from "./ui";

/**
 * Queues with their counts by state, executor and dequeue rate. On a phone each
 * queue is a card with its counts labelled (a table row there would scroll
 * sideways); the split by priority is on the queue's page (here only on hover).
 */
export function QueueTable(props: { label: string; queues: QueueSummary[] | undefined; loading: boolean; empty: string }) {
  const columns = QUEUE_JOB_STATES.length + 3;
  return (
    <div className="rounded-lg border border-slate-200 bg-white shadow-sm md:overflow-x-auto dark:border-slate-800 dark:bg-slate-900">
      <table aria-label={props.label} className="block w-full text-sm md:table md:min-w-full">
        <thead className="hidden bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500 md:table-header-group dark:bg-slate-800/50 dark:text-slate-400">
          <tr>
            <th className="px-4 py-2">Queue</th>
            <th className="px-4 py-2">Executor</th>
            {QUEUE_JOB_STATES.map((s) => (
              <th key={s} className="px-4 py-2 text-right">{s.replace("_", " ").toLowerCase()}</th>
            ))}
            <th className="px-4 py-2">Dequeue</th>
          </tr>
        </thead>
        <tbody className="block divide-y divide-slate-100 md:table-row-group dark:divide-slate-800">
          {props.queues?.map((q) => (
            <tr key={q.name} data-queue={q.name}
              className="grid grid-cols-2 gap-x-4 gap-y-1 p-3 hover:bg-slate-50 sm:grid-cols-4 md:table-row md:p-0 dark:hover:bg-slate-800/40">
              <td className="col-span-2 font-medium sm:col-span-4 md:px-4 md:py-2">
                <Link className="text-indigo-700 hover:underline dark:text-indigo-300" href={`/queues/${q.name}`}>{q.name}</Link>
              </td>
              <td className="col-span-2 min-w-0 sm:col-span-4 md:px-4 md:py-2"><ExecutorSummary executor={q.executor} /></td>
              {QUEUE_JOB_STATES.map((s) => (
                <td key={s} className="flex items-baseline justify-between gap-2 tabular-nums md:table-cell md:px-4 md:py-2 md:text-right"
                    title={q.counts[s].byPriority.map((n, i) => `priority ${i + 1}: ${formatCount(n, q.countCap)}`).join("\n")}>
                  <span className="text-xs uppercase tracking-wide text-slate-500 md:hidden">{s.replace("_", " ").toLowerCase()}</span>
                  <span className="text-right">
                    <Link data-count={s} href={`/queues/${q.name}?state=${s}`} className={q.counts[s].total ? "" : "text-slate-400"}>
                      {formatCount(q.counts[s].total, q.countCap * 3)}
                    </Link>
                    {s === "PENDING" && q.pendingLater.total > 0 && (
                      // "later" said on screen: PENDING jobs whose runAfter is later than now
                      <Link data-later href={`/queues/${q.name}?state=PENDING&future=1`}
                        className="block text-xs text-slate-500 hover:underline">
                        {formatCount(q.pendingLater.total, q.countCap * 3)} later
                      </Link>
                    )}
                  </span>
                </td>
              ))}
              <td className="col-span-2 sm:col-span-4 md:px-4 md:py-2">
                <span className="mr-2 text-xs uppercase tracking-wide text-slate-500 md:hidden">dequeue</span>
                {q.paused ? <Badge state="PAUSED">paused</Badge>
                  : q.dequeueRateLimit === null ? <span className="text-slate-500">unlimited</span> : `${q.dequeueRateLimit}/s`}
              </td>
            </tr>
          ))}
          {props.queues?.length === 0 && (
            <tr className="block md:table-row"><td colSpan={columns} className="block px-4 py-8 md:table-cell text-center text-slate-500">{props.empty}</td></tr>
          )}
          {props.loading && <tr className="block md:table-row"><td colSpan={columns} className="block px-4 py-8 md:table-cell text-center text-slate-500">Loading…</td></tr>}
        </tbody>
      </table>
    </div>
  );
}
