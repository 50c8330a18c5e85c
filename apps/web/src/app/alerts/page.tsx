"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useKnownProjects } from "@/components/access/known-projects";
import { Button, Card, inputClass } from "@/components/ui";

const CHIP = "inline-block rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50 "
  + "dark:border-slate-700 dark:hover:bg-slate-800";

/** Alerts are per project: pick one you can see, or name any project. */
export default function AlertsPage() {
  const projects = useKnownProjects();
  const router = useRouter();
  const [name, setName] = useState("");
  const open = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) router.push(`/alerts/${encodeURIComponent(name.trim())}`);
  };
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Alerts</h1>
      <p className="text-sm text-slate-600 dark:text-slate-300">
        Rules per project notify a webhook or email when a job&apos;s invocation fails or recovers, a schedule slot is missed or
        late, a queue backs up, or a request fails.
      </p>
      <Card title="Projects">
        <ul className="flex flex-wrap gap-2" aria-label="Projects">
          {projects.map((p) => (
            <li key={p}>
              <Link href={`/alerts/${encodeURIComponent(p)}`} className={CHIP}>{p}</Link>
            </li>
          ))}
          {projects.length === 0 && <li className="text-sm text-slate-500">No projects you can see yet.</li>}
        </ul>
        <form className="mt-4 flex gap-2" onSubmit={open}>
          <input className={`${inputClass} max-w-xs`} value={name} onChange={(e) => setName(e.target.value)}
            placeholder="another project" aria-label="Project name" />
          <Button type="submit">Open</Button>
        </form>
      </Card>
    </div>
  );
}
