"use client";
import { QUEUE_JOB_STATE_DOC, isFinal } from "@hourglass/engine/states";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { HistoryEntry } from "@hourglass/engine";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useState, type ReactNode } from "react";
import { QueueJobActions } from "@/components/queue-job-actions";
import { Badge, Card, Output, Time } from "@/components/ui";
import { LoadError } from "@/components/not-found";
import { useLive } from "@/lib/live";
import { useTRPC } from "@/lib/trpc";

export default function JobPage() {
  const { name, id } = useParams<{ name: string; id: string }>();
  const descriptor = `${name}:${id}`;
  const trpc = useTRPC();
  const job = useQuery(trpc.queues.getJobDetails.queryOptions({ jobDescriptor: descriptor }));
  // the job's own events, and its queue's (a claim is one event of the queue naming its jobs)
  const refetch = [trpc.queues.getJobDetails.queryFilter({ jobDescriptor: descriptor })];
  useLive([
    { filter: { entityKinds: ["queue_job"], entityId: id }, invalidate: refetch },
    { filter: { entityKinds: ["queue"], entityId: name, actions: ["claimed"] }, invalidate: refetch },
  ]);
  const j = job.data;
  return (
    <div className="space-y-5">
      <nav className="text-sm text-slate-500">
        <Link href="/queues" className="hover:underline">Queues</Link> / <Link href={`/queues/${name}`} className="hover:underline">{name}</Link> / {id}
      </nav>
      <LoadError error={job.error} what="job" name={descriptor} back={{ href: `/queues/${name}`, label: `Queue ${name}` }} />
      {j && (
        <>
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="font-mono text-2xl font-semibold">{j.jobDescriptor}</h1>
            <span title={QUEUE_JOB_STATE_DOC[j.jobState]}><Badge state={j.jobState} /></span>
          </div>
          <QueueJobActions job={j} />
          <Card title="Job">
            <dl className="grid grid-cols-2 gap-x-6 gap-y-3 text-sm md:grid-cols-4">
              <Item label="Priority">{j.priority}</Item>
              <Item label="Attempts">{j.attemptsAllowed - j.attemptsRemaining} used of {j.attemptsAllowed} ({j.attemptsRemaining} left)</Item>
              <Item label="Custom status">{j.customStatus || "—"}</Item>
              <Item label="Claim">{j.claimDescriptor ?? "—"}</Item>
              <Item label="Created"><Time ms={j.createdAtTimestampMillis} /></Item>
              <Item label="Run after"><Time ms={j.runAfterTimestampMillis} /></Item>
              <Item label="Updated"><Time ms={j.updatedAtTimestampMillis} /></Item>
              <Item label={j.jobState === "IN_PROGRESS" ? "Lease expires" : isFinal(j.jobState) ? "Deleted by GC" : "Expires"}>
                <Time ms={j.expiresAtTimestampMillis} />
              </Item>
            </dl>
          </Card>
          <Card title="Body">
            <pre className="max-h-80 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-3 font-mono text-xs dark:bg-slate-950">{j.body || "(empty)"}</pre>
          </Card>
          <div className="grid gap-5 lg:grid-cols-[1fr_2fr]">
            <Card title="History">
              <JobHistory descriptor={descriptor} first={j.history} next={j.historyNext} total={j.historyTotal} />
            </Card>
            <Card title="Attempts">
              {j.attempts.length === 0 && (
                <p className="text-sm text-slate-500">No captured output. Output is kept for jobs run by the shell and http executors; external consumers report through acks.</p>
              )}
              <ol className="space-y-4" aria-label="Attempts">
                {[...j.attempts].reverse().map((a) => (
                  <li key={a.attempt} data-attempt={a.attempt} className="rounded-md border border-slate-200 p-3 dark:border-slate-700">
                    <div className="flex flex-wrap items-center gap-3 text-sm">
                      <span className="font-semibold">Attempt {a.attempt}</span>
                      <Badge state={a.succeeded ? "SUCCEEDED" : "FAILED"}>{a.succeeded ? "succeeded" : "failed"}</Badge>
                      {a.exitCode !== null && <span>exit code {a.exitCode}</span>}
                      {a.httpStatus !== null && <span>HTTP {a.httpStatus}</span>}
                      <span className="text-slate-500"><Time ms={a.startedAtTimestampMillis} /> · {a.finishedAtTimestampMillis - a.startedAtTimestampMillis} ms · {a.claimDescriptor}</span>
                    </div>
                    {a.error && <p className="mt-2 text-sm text-rose-700 dark:text-rose-300">{a.error}</p>}
                    <Output label="stdout" text={a.stdout} />
                    <Output label="stderr" text={a.stderr} />
                  </li>
                ))}
              </ol>
            </Card>
          </div>
        </>
      )}
    </div>
  );
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="break-all">{children}</dd>
    </div>
  );
}


/** The job's complete history from the event log, oldest first; later pages load on demand. */
function JobHistory(props: { descriptor: string; first: HistoryEntry[]; next: string | null; total: number }) {
  const trpc = useTRPC();
  const client = useQueryClient();
  const [later, setLater] = useState<{ entries: HistoryEntry[]; next: string | null }>({ entries: [], next: null });
  const [loading, setLoading] = useState(false);
  const next = later.entries.length > 0 ? later.next : props.next;
  const loadMore = async () => {
    if (!next) return;
    setLoading(true);
    try {
      const page = await client.fetchQuery(trpc.queues.jobHistory.queryOptions({ jobDescriptor: props.descriptor, after: next }));
      setLater((l) => ({ entries: [...l.entries, ...page.history], next: page.historyNext }));
    } finally {
      setLoading(false);
    }
  };
  return (
    <>
      <p className="mb-3 text-xs text-slate-500">{props.total} events, oldest first</p>
      <ol className="space-y-3 text-sm" aria-label="History">
        {[...props.first, ...later.entries].map((h, i) => (
          <li key={i} className="border-l-2 border-slate-200 pl-3 dark:border-slate-700">
            <div className="flex items-center gap-2"><Badge state={h.state} /><Time ms={Date.parse(h.at)} /></div>
            <div className="mt-1 text-slate-600 dark:text-slate-300">{h.note} <span className="text-slate-400">· {h.by}</span></div>
          </li>
        ))}
      </ol>
      {next && (
        <button type="button" className="mt-3 text-sm text-blue-600 hover:underline disabled:opacity-50"
          disabled={loading} onClick={() => void loadMore()}>
          {loading ? "Loading…" : "Load later events"}
        </button>
      )}
    </>
  );
}
