"use client";
import { isActiveInvocationState } from "@hourglass/engine/states";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { InvocationHistory } from "@/components/invocation-history";
import { RerunInvocation } from "@/components/rerun-invocation";
import { TaskCard } from "@/components/task-card";
import { Badge, Card, ConfirmButton, Time } from "@/components/ui";
import { LoadError } from "@/components/not-found";
import { useCan } from "@/lib/can";
import { need } from "@/lib/permissions";
import { useLive } from "@/lib/live";
import { useTRPC } from "@/lib/trpc";

export default function InvocationPage() {
  const { project, job: id, invocation } = useParams<{ project: string; job: string; invocation: string }>();
  const key = `${project}/${id}`;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const cannotAbort = useCan().missing(need.schedulerJob("manage", { project, id }));
  const inv = useQuery(trpc.scheduler.getInvocation.queryOptions({ job: key, invocationId: invocation }));
  useLive([{
    filter: { entityKinds: ["invocation"], entityId: invocation },
    invalidate: [
      trpc.scheduler.getInvocation.queryFilter({ job: key, invocationId: invocation }),
      trpc.scheduler.invocationHistory.queryFilter({ job: key, invocationId: invocation }),
    ],
  }]);
  const [confirm, setConfirm] = useState(false);
  const abort = useMutation(trpc.scheduler.abortInvocation.mutationOptions({
    onSuccess: async () => {
      setConfirm(false);
      await queryClient.invalidateQueries({ queryKey: trpc.scheduler.pathKey() });
    },
  }));
  const log = useRef<HTMLPreElement>(null);
  const i = inv.data;
  // follow the log while it grows, unless the reader scrolled up
  useEffect(() => {
    const el = log.current;
    if (el && el.scrollHeight - el.scrollTop - el.clientHeight < 80) el.scrollTop = el.scrollHeight;
  }, [i?.debugLog]);
  return (
    <div className="space-y-5">
      <nav className="text-sm text-slate-500">
        <Link href="/jobs" className="hover:underline">Jobs</Link> / <Link href={`/jobs/${project}`} className="hover:underline">{project}</Link> / <Link href={`/jobs/${key}`} className="hover:underline">{id}</Link> / {invocation}
      </nav>
      <LoadError error={inv.error} what="invocation" name={`${key} #${invocation}`} back={{ href: `/jobs/${key}`, label: `Job ${key}` }} />
      {i && (
        <>
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-semibold">Invocation {i.id}</h1>
            <span data-testid="invocation-state"><Badge state={i.state} /></span>
            {isActiveInvocationState(i.state) && (
              <ConfirmButton label="Abort" tone="danger" title={`Abort invocation ${i.id}?`} confirmLabel="Abort invocation"
                message="Its task is killed and the invocation ends as ABORTED." open={confirm} setOpen={(o) => (abort.reset(), setConfirm(o))}
                busy={abort.isPending} error={abort.error} disabledReason={cannotAbort} onConfirm={() => abort.mutate({ job: key, invocationId: i.id })} />
            )}
            <RerunInvocation project={project} id={id} invocationId={i.id}
              triggers={Array.isArray(i.incomingTriggers) ? i.incomingTriggers.length : 0} />
          </div>
          <Card title="Invocation">
            <dl className="grid grid-cols-2 gap-3 text-sm md:grid-cols-4">
              <div><dt className="text-xs uppercase text-slate-500">Triggered by</dt><dd>{i.triggeredBy}</dd></div>
              <div><dt className="text-xs uppercase text-slate-500">Started</dt><dd><Time ms={i.startedTimestampMillis} /></dd></div>
              <div><dt className="text-xs uppercase text-slate-500">Duration</dt><dd>{(((i.finishedTimestampMillis ?? Date.now()) - i.startedTimestampMillis) / 1000).toFixed(1)} s{i.finishedTimestampMillis ? "" : " so far"}</dd></div>
              <div><dt className="text-xs uppercase text-slate-500">Revision</dt><dd className="font-mono">{i.revision}</dd></div>
              <div><dt className="text-xs uppercase text-slate-500">Launch retries</dt><dd title="launches lost with their worker">{i.retryCount}</dd></div>
              <div><dt className="text-xs uppercase text-slate-500">Tags</dt><dd>{i.tags.join(", ") || "—"}</dd></div>
              {i.abortedBy && <div><dt className="text-xs uppercase text-slate-500">Aborted by</dt><dd>{i.abortedBy}</dd></div>}
              {i.request && (
                <div><dt className="text-xs uppercase text-slate-500">Request</dt>
                  <dd className="flex items-center gap-2"><Link data-testid="invocation-request" className="font-mono text-indigo-700 hover:underline dark:text-indigo-300" href={`/requests/${i.request.id}`}>{i.request.id}</Link>
                    <Badge state={i.request.state} /></dd></div>
              )}
            </dl>
          </Card>
          <TaskCard task={i.task} runs={i.taskRuns} active={isActiveInvocationState(i.state)} />
          <Card title="History">
            <InvocationHistory job={key} invocationId={i.id} />
          </Card>
          <Card title="Debug log">
            <pre ref={log} data-testid="debug-log" className="max-h-96 overflow-auto whitespace-pre-wrap rounded bg-slate-900 p-2 font-mono text-xs text-slate-100">{i.debugLog}</pre>
          </Card>
          <div className="grid gap-5 lg:grid-cols-2">
            <Card title="Incoming triggers"><pre className="overflow-auto font-mono text-xs">{JSON.stringify(i.incomingTriggers, null, 2)}</pre></Card>
            <Card title="Outgoing triggers"><pre className="overflow-auto font-mono text-xs">{JSON.stringify(i.outgoingTriggers, null, 2)}</pre></Card>
          </div>
          <Card title="Properties"><pre className="overflow-auto font-mono text-xs">{JSON.stringify(i.properties, null, 2)}</pre></Card>
        </>
      )}
    </div>
  );
}
