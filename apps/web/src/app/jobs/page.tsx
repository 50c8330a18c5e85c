"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Badge, ErrorText, Time } from "@/components/ui";
import { useLive } from "@/lib/live";
import { useTRPC } from "@/lib/trpc";

const COLUMNS = ["RUNNING", "SCHEDULED", "WAITING", "PAUSED"] as const;

/** One row per project with its jobs counted by state, each a link to the filtered project page. */
export default function ProjectsPage() {
  const trpc = useTRPC();
  const projects = useQuery(trpc.scheduler.getProjects.queryOptions());
  useLive([{ filter: { entityKinds: ["scheduler_job", "invocation", "project"] }, invalidate: [trpc.scheduler.getProjects.queryFilter()] }]);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Jobs</h1>
      <ErrorText error={projects.error} />
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <table className="min-w-full text-sm">
          <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500 dark:bg-slate-800/50 dark:text-slate-400">
            <tr>
              <th className="px-4 py-2">Project</th>
              {COLUMNS.map((c) => <th key={c} className="px-4 py-2 text-right">{c.toLowerCase()}</th>)}
              <th className="px-4 py-2">Config</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {projects.data?.map((p) => (
              <tr key={p.id} data-project={p.id}>
                <td className="px-4 py-2 font-medium"><Link className="text-indigo-700 hover:underline dark:text-indigo-300" href={`/jobs/${p.id}`}>{p.id}</Link></td>
                {COLUMNS.map((c) => (
                  <td key={c} data-count={c} className="px-4 py-2 text-right tabular-nums">
                    <Link href={`/jobs/${p.id}?state=${c}`} className={p.counts[c] ? "" : "text-slate-400"}>{p.counts[c]}</Link>
                  </td>
                ))}
                <td className="px-4 py-2 text-xs">
                  {p.errors ? <Badge state="FAILED">invalid: {p.errors.length} error(s)</Badge> : <span className="font-mono text-slate-500">{p.fileName} @ {p.revision}</span>}
                  <span className="ml-2 text-slate-400">loaded <Time ms={p.loadedAtTimestampMillis} /></span>
                </td>
              </tr>
            ))}
            {projects.data?.length === 0 && <tr><td colSpan={6} className="px-4 py-8 text-center text-slate-500">No projects. Put &lt;project&gt;.yaml files in the projects directory (HOURGLASS_PROJECTS_DIR).</td></tr>}
          </tbody>
        </table>
      </div>
    </div>
  );
}
