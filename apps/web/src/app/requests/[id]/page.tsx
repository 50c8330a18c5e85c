"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useState } from "react";
import { ChainGraph } from "@/components/chain-graph";
import { RequestActions, RequestLastAction } from "@/components/request-actions";
import { Badge, Card, ErrorText, Time } from "@/components/ui";
import { useLive } from "@/lib/live";
import { useTRPC } from "@/lib/trpc";
import { Progress } from "@/components/progress";
import { RequestHistory } from "@/components/request-history";
import { LoadError } from "@/components/not-found";

/** One request: state, progress, args, Stop / Suspend / Resume / Retry (who did it last, and why), the live job-chain graph and the tries of the chosen job. */
export default function RequestPage() {
  const { id } = useParams<{ id: string }>();
  const trpc = useTRPC();
  const request = useQuery(trpc.requests.get.queryOptions({ id }));
  const chain = useQuery(trpc.requests.jobChain.queryOptions({ id }));
  // the request's events and its chain jobs': state, progress, the graph's colours, tries and histories
  useLive([{ filter: { request: id }, invalidate: [trpc.requests.pathFilter()] }]);
  const [selected, setSelected] = useState<string | null>(null);
  const r = request.data;
  return (
    <div className="space-y-4">
      <nav className="text-sm text-slate-500"><Link href="/requests" className="hover:underline">Requests</Link> / {id}</nav>
      <LoadError error={request.error} what="request" name={id} back={{ href: "/requests", label: "All requests" }} />
      {r && (
        <>
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-semibold">{r.type} <span className="font-mono text-base text-slate-500">{r.id}</span></h1>
            <span data-testid="request-state"><Badge state={r.state} /></span>
            <Progress done={r.finishedJobs} total={r.totalJobs} />
            <div className="ml-auto flex flex-wrap gap-2">
              <RequestActions request={r} />
            </div>
          </div>
          <RequestLastAction requestId={id} />
          <Card title="Request">
            <dl className="grid grid-cols-2 gap-3 text-sm md:grid-cols-4">
              <div><dt className="text-xs uppercase text-slate-500">User</dt><dd>{r.user}</dd></div>
              <div><dt className="text-xs uppercase text-slate-500">Created</dt><dd><Time ms={r.createdAt} /></dd></div>
              <div><dt className="text-xs uppercase text-slate-500">Started</dt><dd>{r.startedAt ? <Time ms={r.startedAt} /> : "—"}</dd></div>
              <div><dt className="text-xs uppercase text-slate-500">Finished</dt><dd>{r.finishedAt ? <Time ms={r.finishedAt} /> : "—"}</dd></div>
              <div className="col-span-2 md:col-span-4"><dt className="text-xs uppercase text-slate-500">Args</dt>
                <dd className="font-mono text-xs">{Object.entries(r.args).map(([k, v]) => <div key={k}>{k} = {typeof v === "string" ? v : JSON.stringify(v)}</div>)}</dd></div>
              {r.suspendReason && <div><dt className="text-xs uppercase text-slate-500">Suspended</dt><dd>{r.suspendReason} <Time ms={r.suspendedAt} /></dd></div>}
              {r.invocation && (
                <div className="col-span-2"><dt className="text-xs uppercase text-slate-500">Started by</dt>
                  <dd><Link data-testid="request-invocation" className="text-indigo-700 hover:underline dark:text-indigo-300" href={`/jobs/${r.invocation.jobKey}/${r.invocation.id}`}>
                    {r.invocation.jobKey} invocation {r.invocation.id}</Link></dd></div>
              )}
            </dl>
          </Card>
          <Card title="Job chain">
            {chain.data && <ChainGraph jobs={chain.data.jobs} sequences={chain.data.sequences} selected={selected} onSelect={setSelected} />}
          </Card>
          {selected && (
            <JobTries requestId={id} jobId={selected}
              name={chain.data?.jobs.find((j) => j.id === selected)?.name ?? selected} />
          )}
          <Card title="History">
            <RequestHistory requestId={id} />
          </Card>
        </>
      )}
    </div>
  );
}

function JobTries({ requestId, jobId, name }: { requestId: string; jobId: string; name: string }) {
  const trpc = useTRPC();
  const log = useQuery(trpc.requests.log.queryOptions({ requestId, jobId }));
  return (
    <div className="grid gap-4 lg:grid-cols-[2fr_1fr]">
      <Card title={`Tries of ${name} (${jobId})`}>
        <ErrorText error={log.error} />
        {log.data?.length === 0 && <p className="text-sm text-slate-500">No tries yet.</p>}
        <div className="space-y-3" data-testid="job-tries">
          {log.data?.map((l) => (
            <div key={l.try} className="rounded border border-slate-200 p-3 text-sm dark:border-slate-700">
              <div className="flex flex-wrap items-center gap-3">
                <span className="font-semibold">Try {l.try}</span><Badge state={l.state} />
                <span className="text-slate-500">{l.type}</span>
                <Time ms={l.startedAt} />
                {l.finishedAt && <span>{((l.finishedAt - l.startedAt) / 1000).toFixed(1)} s</span>}
                {l.exitCode !== null && <span>exit {l.exitCode}</span>}
              </div>
              {l.error && <p className="mt-1 text-rose-700 dark:text-rose-300">{l.error}</p>}
              {l.stdout && <pre className="mt-2 max-h-60 overflow-auto whitespace-pre-wrap rounded bg-slate-900 p-2 font-mono text-xs text-slate-100">{l.stdout}</pre>}
              {l.stderr && <pre className="mt-2 max-h-60 overflow-auto whitespace-pre-wrap rounded bg-rose-950 p-2 font-mono text-xs text-rose-100">{l.stderr}</pre>}
            </div>
          ))}
        </div>
      </Card>
      <Card title={`History of ${name}`}>
        <RequestHistory key={jobId} requestId={requestId} jobId={jobId} />
      </Card>
    </div>
  );
}
