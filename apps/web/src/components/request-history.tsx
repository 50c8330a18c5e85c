"use client";
import type { EventInfo } from "@hourglass/engine";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Badge, ErrorText, Time } from "@/components/ui";
import { useTRPC } from "@/lib/trpc";

/** Events per page: a page shows this many, "Load more" the next this many. */
const PAGE = 50;

/** Whose history: a request's (`jobId` absent) or one of its chain jobs'. */
interface Subject {
  requestId: string;
  jobId?: string;
}

/**
 * A request's or chain job's history from the event log, oldest first and
 * complete: the first page, then further pages on "Load more". The request
 * page refetches its pages when the request's events arrive (useLive), so the
 * last one grows as events come.
 */
export function RequestHistory(props: Subject) {
  const [pages, setPages] = useState<(string | undefined)[]>([undefined]);
  return (
    <ol className="space-y-2 text-sm" aria-label={props.jobId ? "Job history" : "Request history"}
      data-testid={props.jobId ? "job-history" : "request-history"}>
      {pages.map((after, i) => (
        <HistoryPage key={after ?? "first"} {...props} after={after} last={i === pages.length - 1}
          onMore={(next) => setPages((p) => (p.includes(next) ? p : [...p, next]))} />
      ))}
    </ol>
  );
}

type PageProps = Subject & { after?: string; last: boolean; onMore: (next: string) => void };

function HistoryPage(props: PageProps) {
  return props.jobId ? <JobPage {...props} jobId={props.jobId} /> : <RequestPage {...props} />;
}

function RequestPage(props: PageProps) {
  const trpc = useTRPC();
  const input = { id: props.requestId, after: props.after, limit: PAGE };
  const page = useQuery(trpc.requests.history.queryOptions(input));
  return <Events {...props} page={page} />;
}

function JobPage(props: PageProps & { jobId: string }) {
  const trpc = useTRPC();
  const input = { id: props.requestId, jobId: props.jobId, after: props.after, limit: PAGE };
  const page = useQuery(trpc.requests.jobHistory.queryOptions(input));
  return <Events {...props} page={page} />;
}

interface EventPage {
  events: EventInfo[];
  next: string | null;
  total: number;
}

function Events(props: PageProps & { page: { data?: EventPage; error: unknown } }) {
  const { page, after } = props;
  const data = page.data;
  return (
    <>
      {page.error && <li><ErrorText error={page.error} /></li>}
      {after === undefined && data && (
        <li className="text-xs text-slate-500" data-testid="history-total">
          {data.total === 0 ? "No events yet." : `${data.total} event${data.total === 1 ? "" : "s"}, oldest first`}
        </li>
      )}
      {data?.events.map((e) => (
        <li key={e.id} data-testid="history-event" data-action={e.action}
          className="border-l-2 border-slate-200 pl-3 dark:border-slate-700">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-medium">{e.action}</span>
            {e.to && <Badge state={e.to} />}
            {e.from && e.to && e.from !== e.to && <span className="text-xs text-slate-500">from {e.from}</span>}
            {typeof e.payload?.try === "number" && <span className="text-xs text-slate-500">try {e.payload.try}</span>}
            <span className="text-xs text-slate-500"><Time ms={e.atTimestampMillis} /> · {e.actor}</span>
          </div>
          {e.reason && <div className="mt-0.5 text-slate-600 dark:text-slate-300">{e.reason}</div>}
        </li>
      ))}
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
