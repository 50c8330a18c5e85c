"use client";
import type { QueueSummary } from "@hourglass/engine";
import { QUEUE_JOB_STATES } from "@hourglass/engine/states";
import Link from "next/link";
import { ExecutorSummary } from "./executor-summary";
import { Badge, formatCount } from "./ui";

/** Queues with their counts by state (split by priority on hover), executor and dequeue rate. */
export function QueueTable(props: { label: string; queues: QueueSummary[] | undefined; loading: boolean; empty: string }) {
  const columns = QUEUE_JOB_STATES.length + 3;
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <table aria-label={props.label} className="min-w-full text-sm">
        <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500 dark:bg-slate-800/50 dark:text-slate-400">
          <tr>
            <th className="px-4 py-2">Queue</th>
            <th className="px-4 py-2">Executor</th>
            {QUEUE_JOB_STATES.map((s) => (
              <th key={s} className="px-4 py-2 text-right">{s.replace("_", " ").toLowerCase()}</th>
            ))}
            <th className="px-4 py-2">Dequeue</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {props.queues?.map((q) => (
            <tr key={q.name} data-queue={q.name} className="hover:bg-slate-50 dark:hover:bg-slate-800/40">
              <td className="px-4 py-2 font-medium">
                <Link className="text-indigo-700 hover:underline dark:text-indigo-300" href={`/queues/${q.name}`}>{q.name}</Link>
              </td>
              <td className="px-4 py-2"><ExecutorSummary executor={q.executor} /></td>
              {QUEUE_JOB_STATES.map((s) => (
                <td key={s} data-count={s} className="px-4 py-2 text-right tabular-nums"
                    title={q.counts[s].byPriority.map((n, i) => `priority ${i + 1}: ${formatCount(n, q.countCap)}`).join("\n")}>
                  <Link href={`/queues/${q.name}?state=${s}`} className={q.counts[s].total ? "" : "text-slate-400"}>
                    {formatCount(q.counts[s].total, q.countCap * 3)}
                  </Link>
                  {s === "PENDING" && q.pendingLater.total > 0 && (
                    <Link data-later href={`/queues/${q.name}?state=PENDING&future=1`} title="PENDING jobs whose runAfter is later than now"
                      className="block text-xs text-slate-500 hover:underline">
                      {formatCount(q.pendingLater.total, q.countCap * 3)} later
                    </Link>
                  )}
                </td>
              ))}
              <td className="px-4 py-2">
                {q.paused ? <Badge state="PAUSED">paused</Badge>
                  : q.dequeueRateLimit === null ? <span className="text-slate-500">unlimited</span> : `${q.dequeueRateLimit}/s`}
              </td>
            </tr>
          ))}
          {props.queues?.length === 0 && (
            <tr><td colSpan={columns} className="px-4 py-8 text-center text-slate-500">{props.empty}</td></tr>
          )}
          {props.loading && <tr><td colSpan={columns} className="px-4 py-8 text-center text-slate-500">Loading…</td></tr>}
        </tbody>
      </table>
    </div>
  );
}
