"use client";
import type { AppRouter } from "@hourglass/engine/api";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { Badge, Time } from "@/components/ui";
import { entityHref } from "@/lib/audit-links";

export type AuditEvent = inferRouterOutputs<AppRouter>["audit"]["search"]["events"][number];

/** Audit events, newest first: when, where, which entity (linked to its page), what happened, who, why, details. */
export function AuditTable({ events, loading }: { events: AuditEvent[]; loading: boolean }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <table aria-label="Audit events" className="min-w-full text-sm">
        <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500 dark:bg-slate-800/50 dark:text-slate-400">
          <tr>
            <th className="px-4 py-2">Time</th>
            <th className="px-4 py-2">Project</th>
            <th className="px-4 py-2">Entity</th>
            <th className="px-4 py-2">Action</th>
            <th className="px-4 py-2">Actor</th>
            <th className="px-4 py-2">Reason</th>
            <th className="px-4 py-2">Details</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {events.map((e) => <AuditRow key={e.id} e={e} />)}
          {!loading && events.length === 0 && (
            <tr><td colSpan={7} className="px-4 py-6 text-center text-slate-500">No events match.</td></tr>
          )}
          {loading && events.length === 0 && (
            <tr><td colSpan={7} className="px-4 py-6 text-center text-slate-500">Loading…</td></tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

function AuditRow({ e }: { e: AuditEvent }) {
  const href = entityHref(e);
  return (
    <tr data-event={e.id} data-action={e.action} className="align-top">
      <td className="whitespace-nowrap px-4 py-2 tabular-nums">
        <Time ms={e.atTimestampMillis} />
      </td>
      <td className="px-4 py-2">{e.project}</td>
      <td className="px-4 py-2">
        <span className="text-xs text-slate-500">{e.entityKind}</span>{" "}
        {href
          ? <Link className="font-mono text-indigo-700 hover:underline dark:text-indigo-300" href={href}>{e.entityId}</Link>
          : <span className="font-mono">{e.entityId}</span>}
      </td>
      <td className="whitespace-nowrap px-4 py-2">
        <span className="font-medium">{e.action}</span>
        {(e.from || e.to) && (
          <span className="ml-2 inline-flex items-center gap-1 text-xs">
            {e.from && <Badge state={e.from} />}→{e.to ? <Badge state={e.to} /> : <span className="text-slate-400">gone</span>}
          </span>
        )}
      </td>
      <td className="px-4 py-2 font-mono text-xs" data-actor>{e.actor}</td>
      <td className="max-w-64 whitespace-pre-wrap break-words px-4 py-2">{e.reason}</td>
      <td className="max-w-96 px-4 py-2">
        {e.payload && (
          <details>
            <summary className="cursor-pointer text-xs text-slate-500">{Object.keys(e.payload).join(", ")}</summary>
            <pre className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-100 p-2 font-mono text-xs dark:bg-slate-800">
              {JSON.stringify(e.payload, null, 2)}
            </pre>
          </details>
        )}
      </td>
    </tr>
  );
}
