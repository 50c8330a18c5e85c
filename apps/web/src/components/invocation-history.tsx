"use client";
import type { EventInfo } from "@hourglass/engine";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Badge, ErrorText, Time } from "@/components/ui";
import { useTRPC } from "@/lib/trpc";

/** Events per page: a page shows this many, "Load more" the next this many. */
const PAGE = 50;

interface Subject {
  /** "<project>/<job>". */
  job: string;
  invocationId: string;
}

/**
 * An invocation's history from the event log (scheduler.invocationHistory),
 * oldest first and complete: the first page, then further pages on "Load
 * more". The page's live topic (its invocation's events) invalidates every
 * page, so the last one grows as events come.
 */
export function InvocationHistory(props: Subject) {
  const [pages, setPages] = useState<(string | undefined)[]>([undefined]);
  return (
    <ol className="space-y-2 text-sm" aria-label="Invocation history" data-testid="invocation-history">
      {pages.map((after, i) => (
        <HistoryPage key={after ?? "first"} {...props} after={after} last={i === pages.length - 1}
          onMore={(next) => setPages((p) => (p.includes(next) ? p : [...p, next]))} />
      ))}
    </ol>
  );
}

function HistoryPage(props: Subject & { after?: string; last: boolean; onMore: (next: string) => void }) {
  const trpc = useTRPC();
  const page = useQuery(trpc.scheduler.invocationHistory.queryOptions({
    job: props.job, invocationId: props.invocationId, after: props.after, limit: PAGE,
  }));
  const data = page.data;
  return (
    <>
      {page.error && <li><ErrorText error={page.error} /></li>}
      {props.after === undefined && data && (
        <li className="text-xs text-slate-500" data-testid="history-total">
          {data.total === 0 ? "No events yet." : `${data.total} event${data.total === 1 ? "" : "s"}, oldest first`}
        </li>
      )}
      {data?.events.map((e) => <Entry key={e.id} e={e} />)}
      {props.last && data?.next && (
        <li>
          <button type="button" className="text-sm text-indigo-700 hover:underline dark:text-indigo-300"
            data-testid="history-more" onClick={() => props.onMore(data.next!)}>
            Load more
          </button>
        </li>
      )}
    </>
  );
}

function Entry({ e }: { e: EventInfo }) {
  const retry = typeof e.payload?.retry === "number" ? e.payload.retry : null;
  return (
    <li data-testid="history-event" data-action={e.action} className="border-l-2 border-slate-200 pl-3 dark:border-slate-700">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{e.action}</span>
        {e.to && <Badge state={e.to} />}
        {e.from && e.to && e.from !== e.to && <span className="text-xs text-slate-500">from {e.from}</span>}
        {retry !== null && <span className="text-xs text-slate-500">retry {retry}</span>}
        <span className="text-xs text-slate-500"><Time ms={e.atTimestampMillis} /> · {e.actor}</span>
      </div>
      {e.reason && <div className="mt-0.5 text-slate-600 dark:text-slate-300">{e.reason}</div>}
    </li>
  );
}
