"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useParams } from "next/navigation";
import { InvocationChart } from "@/components/invocation-chart";
import { InvocationList } from "@/components/invocation-list";
import { BackfillButton } from "@/components/schedules/backfill-form";
import { Backfills } from "@/components/schedules/backfills";
import { NextRuns } from "@/components/schedules/next-runs";
import { Flavor, JobActions } from "@/components/job-actions";
import { JobDefinition } from "@/components/job-definition";
import { Badge, Card, relativeTime, Time } from "@/components/ui";
import { LoadError } from "@/components/not-found";
import { useLive } from "@/lib/live";
import { useTRPC } from "@/lib/trpc";

export default function JobPage() {
  const { project, job: id } = useParams<{ project: string; job: string }>();
  const key = `${project}/${id}`;
  const trpc = useTRPC();
  const job = useQuery(trpc.scheduler.getJob.queryOptions({ job: key }));
  const triggers = useQuery(trpc.scheduler.listTriggers.queryOptions({ job: key }));
  const recent = useQuery(trpc.scheduler.getInvocations.queryOptions({ job: key, pageSize: 50 }));
  // the job's events, its invocations' and its triggers'
  useLive([{ filter: { job: key }, invalidate: [trpc.scheduler.pathFilter()] }]);
  const j = job.data;
  return (
    <div className="space-y-5">
      <nav className="text-sm text-slate-500"><Link href="/jobs" className="hover:underline">Jobs</Link> / <Link href={`/jobs/${project}`} className="hover:underline">{project}</Link> / {id}</nav>
      <LoadError error={job.error} what="scheduler job" name={key} back={{ href: `/jobs/${project}`, label: `Project ${project}` }} />
      {j && (
        <>
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-semibold"><Flavor flavor={j.flavor} /> {j.id}</h1>
            <span data-testid="job-state"><Badge state={j.state} /></span>
            <div className="ml-auto flex flex-wrap gap-2"><BackfillButton job={j} /><JobActions job={j} /></div>
          </div>
          {j.paused && (
            <div role="status" className="rounded-md bg-slate-100 p-3 text-sm dark:bg-slate-800">
              Paused by <b>{j.paused.byWho}</b> <Time ms={j.paused.atTimestampMillis} />: “{j.paused.reason}”
            </div>
          )}
          {j.description && <p className="text-slate-600 dark:text-slate-300">{j.description}</p>}
          <div className="grid gap-5 lg:grid-cols-2">
            <Card title="Schedule">
              <dl className="grid grid-cols-2 gap-3 text-sm">
                <div><dt className="text-xs uppercase text-slate-500">Schedule</dt><dd title={j.schedule}>{j.scheduleInWords}</dd></div>
                <div><dt className="text-xs uppercase text-slate-500">Next run</dt><dd><Time ms={j.nextRunTimestampMillis} /></dd></div>
                <div><dt className="text-xs uppercase text-slate-500">Policy</dt><dd>{j.definition.policy.kind}</dd></div>
                <div><dt className="text-xs uppercase text-slate-500">Triggers</dt><dd>{j.definition.triggers.length ? j.definition.triggers.map((t) => <Link key={t} className="mr-2 text-indigo-700 hover:underline dark:text-indigo-300" href={`/jobs/${project}/${t}`}>{t}</Link>) : "—"}</dd></div>
              </dl>
              <div className="mt-3"><NextRuns upcoming={j.upcoming} definition={j.definition} /></div>
            </Card>
            <Card title="Recent invocations"><InvocationChart job={`${project}/${id}`} invocations={recent.data?.invocations ?? []} now={Date.now()} /></Card>
          </div>
          <Backfills project={project} id={id} />
          <Card title={<>Triage log {j.triage.atTimestampMillis && <span className="normal-case">({relativeTime(j.triage.atTimestampMillis)})</span>}</>}>
            {j.triage.stale && <p className="mb-2 text-sm text-amber-700 dark:text-amber-300">Stale: a newer triage is pending and has not run yet.</p>}
            <pre data-testid="triage-log" className="max-h-64 overflow-auto whitespace-pre-wrap rounded bg-slate-900 p-2 font-mono text-xs text-slate-100">{j.triage.log || "(no triage yet)"}</pre>
          </Card>
          <Card title={`Pending triggers (${triggers.data?.length ?? 0})`}>
            {triggers.data?.length ? (
              <ul className="space-y-1 text-sm">{triggers.data.map((t) => <li key={t.id}><span className="font-mono">{t.id}</span> · {t.title} · from {t.emittedBy} · <Time ms={t.createdTimestampMillis} /></li>)}</ul>
            ) : <p className="text-sm text-slate-500">None.</p>}
          </Card>
          <Card title="Invocations">
            <InvocationList project={project} id={id} />
          </Card>
          <Card title={`Definition at revision ${j.revision}`}>
            <JobDefinition definition={j.definition} />
          </Card>
        </>
      )}
    </div>
  );
}
