"use client";
import { useQueries } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Suspense, useEffect, useMemo, useState } from "react";
import { AuditFilters } from "@/components/audit/audit-filters";
import { AuditTable } from "@/components/audit/audit-table";
import { Button, ErrorText } from "@/components/ui";
import { auditFilter, auditQueryString, exportHref, parseAuditQuery, type AuditQuery } from "@/lib/audit-query";
import { useWhoami } from "@/lib/session";
import { useTimeZone } from "@/lib/time-zone";
import { useTRPC } from "@/lib/trpc";

const PAGE_SIZE = 100;
/** A link that looks like the plain Button (the exports are downloads, so links). */
const LINK_BUTTON = "inline-flex items-center rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium shadow-sm "
  + "hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:hover:bg-slate-800";

export default function AuditPage() {
  return <Suspense><AuditLog /></Suspense>;
}

/**
 * The audit log: every event the caller may see, newest first, filtered by
 * actor (or "my actions"), project, entity, action and time range. The
 * filters live in the query string; "Load more" pages back with the API's
 * `next`; the export buttons download what the filters select.
 */
function AuditLog() {
  const trpc = useTRPC();
  const router = useRouter();
  const path = usePathname();
  const params = useSearchParams();
  const queryString = params.toString();
  const query = useMemo(() => parseAuditQuery(new URLSearchParams(queryString)), [queryString]);
  const me = useWhoami().data;
  const myId = me && !me.anonymous ? me.id : undefined;
  // relative ranges count back from when the filters were chosen (or Refresh pressed), so pages stay consistent
  const [now, setNow] = useState(() => Date.now());
  const [befores, setBefores] = useState<(string | undefined)[]>([undefined]);
  useEffect(() => {
    setNow(Date.now());
    setBefores([undefined]);
  }, [queryString]);
  const { zone } = useTimeZone();
  const filter = useMemo(() => auditFilter(query, myId, now, zone), [query, myId, now, zone]);
  const waiting = query.mine && myId === undefined;
  const pages = useQueries({
    queries: befores.map((before) => ({
      ...trpc.audit.search.queryOptions({ ...filter, before, limit: PAGE_SIZE }),
      enabled: !waiting,
      staleTime: Infinity,
    })),
  });
  const events = pages.flatMap((p) => p.data?.events ?? []);
  const last = pages[pages.length - 1];
  const next = last?.data?.next ?? null;
  const loading = waiting || pages.some((p) => p.isPending);
  const error = pages.find((p) => p.error)?.error;

  const change = (q: AuditQuery) => {
    const qs = auditQueryString(q);
    router.replace(qs ? `${path}?${qs}` : path);
  };
  const refresh = () => {
    setNow(Date.now());
    setBefores([undefined]);
    for (const p of pages) void p.refetch();
  };
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">Audit log</h1>
        <div className="ml-auto flex gap-2">
          <Button onClick={refresh}>Refresh</Button>
          <a href={exportHref("jsonl", filter)} download className={LINK_BUTTON}>
            Export JSON lines
          </a>
          <a href={exportHref("csv", filter)} download className={LINK_BUTTON}>
            Export CSV
          </a>
        </div>
      </div>
      <p className="text-sm text-slate-500 dark:text-slate-400">
        Every change and operator action Hourglass recorded that you may see, newest first.
      </p>
      <AuditFilters query={query} onChange={change} me={myId} />
      <ErrorText error={error} />
      <AuditTable events={events} loading={loading} />
      <div className="flex items-center gap-3">
        {next !== null && (
          <Button disabled={last?.isFetching} onClick={() => setBefores([...befores, next])}>Load more</Button>
        )}
        <span className="text-sm text-slate-500">
          {events.length} event{events.length === 1 ? "" : "s"} shown{next === null && !loading ? ", no more" : ""}
        </span>
      </div>
    </div>
  );
}
