"use client";
import type { DeliveryInfo } from "@hourglass/engine/alerts";
import { useQuery } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { useTRPC } from "@/lib/trpc";
import { Badge, Button, ErrorText, Time } from "../ui";

/** Delivery states in the badge colours of the states they resemble. */
export const DELIVERY_BADGE: Record<DeliveryInfo["state"], string> = {
  COLLECTING: "WAITING", SENDING: "RUNNING", DELIVERED: "SUCCEEDED", FAILED: "FAILED",
};
const TEST_TAG = "ml-1 rounded bg-slate-100 px-1 text-slate-600 dark:bg-slate-800";

/**
 * A rule's notifications, newest first: state, how many firings each one
 * collapsed, attempts, the last response code or error, and (expanded) each
 * attempt and the firings it listed.
 */
export function DeliveryHistory({ ruleId }: { ruleId: string }) {
  const trpc = useTRPC();
  const [pages, setPages] = useState<(string | undefined)[]>([undefined]);
  const [open, setOpen] = useState<string | null>(null);
  const page = useQuery(trpc.alerts.deliveries.queryOptions({ id: ruleId, before: pages.at(-1), limit: 25 }));
  const rows = page.data?.deliveries ?? [];
  return (
    <div className="space-y-2">
      <ErrorText error={page.error} />
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <table className="min-w-full text-sm" aria-label="Deliveries">
          <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500 dark:bg-slate-800/50 dark:text-slate-400">
            <tr>
              <th className="px-3 py-2">#</th><th className="px-3 py-2">State</th><th className="px-3 py-2">Firings</th>
              <th className="px-3 py-2">Sent at</th><th className="px-3 py-2">Attempts</th><th className="px-3 py-2">Response</th>
              <th className="px-3 py-2" />
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {rows.map((d) => (
              <Fragment key={d.id}>
                <tr data-delivery={d.id} data-state={d.state}>
                  <td className="px-3 py-2 font-mono text-xs">{d.id}{d.test && <span className={TEST_TAG}>test</span>}</td>
                  <td className="px-3 py-2"><Badge state={DELIVERY_BADGE[d.state]}>{d.state}</Badge></td>
                  <td className="px-3 py-2" title={firedSpan(d)}>
                    {d.test ? "—" : d.count === 1 ? "1" : `${d.count} collapsed`}
                  </td>
                  <td className="px-3 py-2">
                    <Time ms={d.deliveredAtMillis ?? d.sendAtMillis} />
                    {d.state === "COLLECTING" && <span className="ml-1 text-xs text-slate-500">(window closes)</span>}
                  </td>
                  <td className="px-3 py-2">
                    {d.attempts} / {d.maxAttempts}
                    {d.nextAttemptAtMillis && <span className="ml-1 text-xs text-slate-500">next <Time ms={d.nextAttemptAtMillis} /></span>}
                  </td>
                  <td className="px-3 py-2" data-testid="response">
                    {d.lastStatus !== null && <span className="font-mono">{d.lastStatus}</span>}
                    {d.lastError && <span className="ml-2 text-rose-700 dark:text-rose-300">{d.lastError}</span>}
                  </td>
                  <td className="px-3 py-2 text-right">
                    <Button onClick={() => setOpen(open === d.id ? null : d.id)} aria-expanded={open === d.id}>
                      {open === d.id ? "Hide" : "Details"}
                    </Button>
                  </td>
                </tr>
                {open === d.id && (
                  <tr>
                    <td colSpan={7} className="bg-slate-50 px-3 py-2 dark:bg-slate-800/40">
                      <DeliveryDetails d={d} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
            {page.data && rows.length === 0 && (
              <tr>
                <td colSpan={7} className="px-3 py-6 text-center text-slate-500">No notifications yet. Send a test to try the channel.</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <div className="flex justify-end gap-2">
        <Button disabled={pages.length === 1} onClick={() => setPages(pages.slice(0, -1))}>Newer</Button>
        <Button disabled={!page.data?.next} onClick={() => setPages([...pages, page.data!.next!])}>Older</Button>
      </div>
    </div>
  );
}

/** When its first and last firings were, for a title. */
function firedSpan(d: DeliveryInfo): string | undefined {
  if (d.firstFiredAtMillis === null || d.lastFiredAtMillis === null) return undefined;
  return `first ${new Date(d.firstFiredAtMillis).toISOString()}, last ${new Date(d.lastFiredAtMillis).toISOString()}`;
}

function DeliveryDetails({ d }: { d: DeliveryInfo }) {
  const firings = d.firings as { at: number; text: string }[];
  return (
    <div className="grid gap-4 text-xs md:grid-cols-2">
      <div>
        <div className="mb-1 font-semibold uppercase tracking-wide text-slate-500">Attempts</div>
        {d.attemptLog.length === 0 ? <p className="text-slate-500">None yet.</p> : (
          <ol className="space-y-1">
            {d.attemptLog.map((a) => (
              <li key={a.attempt} className="font-mono">
                #{a.attempt} {a.at} {a.ok ? "ok" : "failed"} {a.status ?? "—"} {a.durationMs} ms{a.error ? ` · ${a.error}` : ""}
              </li>
            ))}
          </ol>
        )}
      </div>
      <div>
        <div className="mb-1 font-semibold uppercase tracking-wide text-slate-500">
          Firings {d.count > firings.length ? `(first ${firings.length} of ${d.count})` : ""}
        </div>
        {firings.length === 0 ? <p className="text-slate-500">{d.test ? "A test notification." : "None."}</p> : (
          <ul className="space-y-1">
            {firings.map((f, i) => <li key={i}><Time ms={f.at} /> {f.text}</li>)}
          </ul>
        )}
      </div>
    </div>
  );
}
