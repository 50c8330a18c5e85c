"use client";
import { QUEUE_JOB_STATES } from "@hourglass/engine/states";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useParams } from "next/navigation";
import { Suspense } from "react";
import { ExecutorSummary } from "@/components/executor-summary";
import { JobsTable } from "@/components/jobs-table";
import { QueueActions } from "@/components/queue-actions";
import { Badge, Card, formatCount, formatMillis, Time } from "@/components/ui";
import { LoadError } from "@/components/not-found";
import { useLive } from "@/lib/live";
import { useTRPC } from "@/lib/trpc";

export default function QueuePage() {
  const { name } = useParams<{ name: string }>();
  const trpc = useTRPC();
  const summary = useQuery(trpc.queues.getQueueSummary.queryOptions({ name }));
  // the queue's events and its jobs': its counts, settings and job list refetch when they change
  useLive([{ filter: { queue: name }, invalidate: [trpc.queues.pathFilter()] }]);
  const q = summary.data;
  return (
    <div className="space-y-5">
      <nav className="text-sm text-slate-500"><Link href="/queues" className="hover:underline">Queues</Link> / {name}</nav>
      <LoadError error={summary.error} what="queue" name={name} back={{ href: "/queues", label: "All queues" }} />
      {q && (
        <>
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="font-mono text-2xl font-semibold">{q.name}</h1>
            {q.system && <Badge state="PAUSED">system</Badge>}
            {q.paused && <Badge state="PAUSED">paused{q.pausedBy ? ` by ${q.pausedBy}` : ""}</Badge>}
            <ExecutorSummary executor={q.executor} />
          </div>
          {q.system ? (
            <p data-testid="system-queue" className="text-sm text-slate-500">
              One of Hourglass&apos;s own queues: the engine creates and runs it, and its jobs only carry scheduler
              invocations or chain jobs (see those pages for what ran). Read-only: the API refuses writes (QUEUE_RESERVED).
            </p>
          ) : (
            <QueueActions queue={q} failedCount={q.counts.FAILED.total} />
          )}
          <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
            {QUEUE_JOB_STATES.map((s) => (
              <Card key={s}>
                <div className="flex items-center justify-between"><Badge state={s} /></div>
                <div data-count={s} className="mt-2 text-2xl font-semibold tabular-nums">{formatCount(q.counts[s].total, q.countCap * 3)}</div>
                <div className="text-xs text-slate-500">by priority: {q.counts[s].byPriority.map((n) => formatCount(n, q.countCap)).join(" · ")}</div>
                {s === "PENDING" && <PendingSplit name={q.name} pending={q.counts.PENDING.total} later={q.pendingLater.total} cap={q.countCap * 3} />}
              </Card>
            ))}
          </div>
          <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-5">
            <Setting label="Claim timeout" value={formatMillis(q.claimTimeoutMillis)} />
            <Setting label="Keep succeeded" value={formatMillis(q.succeededRetentionMillis)} />
            <Setting label="Keep failed" value={formatMillis(q.failedRetentionMillis)} />
            <Setting label="Dequeue rate" value={q.paused ? <>paused <Time ms={q.pausedAtTimestampMillis} /></> : q.dequeueRateLimit === null ? "unlimited" : `${q.dequeueRateLimit} jobs/s`} />
            <Setting label="Created" value={<Time ms={q.createdAtTimestampMillis} />} />
          </dl>
          <Suspense><JobsTable queueName={q.name} project={q.system ? undefined : q.project} pendingLater={q.pendingLater.total} countCap={q.countCap * 3} /></Suspense>
        </>
      )}
    </div>
  );
}

/** How the PENDING count splits: the job list shows due and scheduled-later jobs apart. */
function PendingSplit({ name, pending, later, cap }: { name: string; pending: number; later: number; cap: number }) {
  if (later === 0) return null;
  return (
    <div data-testid="pending-split" className="mt-1 text-xs">
      <Link className="text-indigo-700 hover:underline dark:text-indigo-300" href={`/queues/${name}?state=PENDING`}>
        {pending >= cap ? "many" : (pending - later).toLocaleString()} due
      </Link>
      {" · "}
      <Link className="text-indigo-700 hover:underline dark:text-indigo-300" href={`/queues/${name}?state=PENDING&future=1`}>
        {formatCount(later, cap)} scheduled later
      </Link>
    </div>
  );
}

function Setting({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs uppercase tracking-wide text-slate-500">{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
