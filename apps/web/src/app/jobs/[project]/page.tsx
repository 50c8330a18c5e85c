"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useParams, useRouter, useSearchParams } from "next/navigation";
import { useQueryStates } from "nuqs";
import { Suspense } from "react";
import { Flavor, FlavorLegend, JobActions } from "@/components/job-actions";
import { NotFound } from "@/components/not-found";
import { Badge, Button, ErrorText, Time } from "@/components/ui";
import { useLive } from "@/lib/live";
import { useTRPC } from "@/lib/trpc";
import { keysetPagesParser } from "@/lib/url-state";

export default function ProjectPage() {
  return <Suspense><ProjectJobs /></Suspense>;
}

function ProjectJobs() {
  const { project } = useParams<{ project: string }>();
  const filter = useSearchParams().get("state");
  const router = useRouter();
  const trpc = useTRPC();
  // the page's position lives in the URL with its state filter (lib/url-state.ts)
  const [{ pages }, setPages] = useQueryStates(keysetPagesParser, { history: "replace", scroll: false });
  const cursors: (string | undefined)[] = [undefined, ...pages];
  const setCursors = (next: (string | undefined)[]) => void setPages({ pages: next.slice(1) as string[] });
  const jobs = useQuery(trpc.scheduler.getJobs.queryOptions({ project, cursor: cursors[cursors.length - 1], pageSize: 100 }));
  const projects = useQuery(trpc.scheduler.getProjects.queryOptions());
  useLive([{
    filter: { projects: [project], entityKinds: ["scheduler_job", "invocation", "trigger", "project"] },
    invalidate: [trpc.scheduler.pathFilter()],
  }]);
  const meta = projects.data?.find((p) => p.id === project);
  const rows = jobs.data?.jobs.filter((j) => !filter || j.state === filter) ?? [];
  // getJobs of an unknown project is an empty page: say "not found", not "No jobs"
  if (projects.data && !meta) return <NotFound what="project" name={project} back={{ href: "/jobs", label: "All projects" }} />;
  return (
    <div className="space-y-4">
      <nav className="text-sm text-slate-500"><Link href="/jobs" className="hover:underline">Jobs</Link> / {project}</nav>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{project}</h1>
        {filter && <Button onClick={() => router.replace(`/jobs/${project}`)}>Showing {filter.toLowerCase()} · show all</Button>}
      </div>
      {meta?.errors && (
        <div role="alert" className="rounded-md bg-rose-50 p-3 text-sm text-rose-800 dark:bg-rose-950 dark:text-rose-200">
          <p className="font-semibold">The newest {meta.fileName} is invalid; revision {meta.revision || "(none)"} keeps running.</p>
          <ul className="mt-1 list-disc pl-5 font-mono text-xs">{meta.errors.map((e, i) => <li key={i}>{e.file}:{e.line}: {e.message}</li>)}</ul>
        </div>
      )}
      <ErrorText error={jobs.error} />
      {/* on a phone each job is a card (its actions in reach, no sideways scroll); from md up, a table */}
      <div className="rounded-lg border border-slate-200 bg-white shadow-sm md:overflow-x-auto dark:border-slate-800 dark:bg-slate-900">
        <table className="block w-full text-sm md:table md:min-w-full">
          <thead className="hidden bg-slate-50 text-left md:table-header-group text-xs uppercase tracking-wide text-slate-500 dark:bg-slate-800/50 dark:text-slate-400">
            <tr><th className="px-4 py-2">Job</th><th className="px-4 py-2">Schedule</th><th className="px-4 py-2">State</th><th className="px-4 py-2">Next run</th><th className="px-4 py-2 text-right">Actions</th></tr>
          </thead>
          <tbody className="block divide-y divide-slate-100 md:table-row-group dark:divide-slate-800">
            {rows.map((j) => (
              <tr key={j.job} data-job={j.job} className="flex flex-wrap items-center gap-x-3 gap-y-1.5 p-3 md:table-row md:p-0">
                <td className="w-full font-medium md:w-auto md:px-4 md:py-2"><Flavor flavor={j.flavor} /> <Link className="text-indigo-700 hover:underline dark:text-indigo-300" href={`/jobs/${j.job}`}>{j.id}</Link></td>
                <td className="md:px-4 md:py-2" title={j.schedule}>{j.scheduleInWords}</td>
                <td className="md:px-4 md:py-2">
                  <span title={j.paused ? `paused by ${j.paused.byWho} ${new Date(j.paused.atTimestampMillis).toISOString()}: ${j.paused.reason}` : undefined}>
                    <Badge state={j.state} />
                  </span>
                  {j.paused && (
                    <span className="ml-2 text-xs text-slate-500">
                      by {j.paused.byWho ?? "?"}{j.paused.reason ? <> “{j.paused.reason}”</> : null}
                    </span>
                  )}
                </td>
                <td className="md:px-4 md:py-2"><span className="mr-1 text-xs text-slate-500 md:hidden">next run</span><Time ms={j.nextRunTimestampMillis} /></td>
                <td className="w-full md:w-auto md:px-4 md:py-2"><JobActions job={j} compact /></td>
              </tr>
            ))}
            {jobs.data && rows.length === 0 && <tr className="block md:table-row"><td colSpan={5} className="block px-4 py-8 md:table-cell text-center text-slate-500">No jobs{filter ? ` in state ${filter}` : ""}.</td></tr>}
          </tbody>
        </table>
      </div>
      <FlavorLegend />
      <div className="flex justify-end gap-2">
        <Button disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>Previous</Button>
        <Button disabled={!jobs.data?.nextCursor} onClick={() => setCursors([...cursors, jobs.data!.nextCursor!])}>Next</Button>
      </div>
    </div>
  );
}
