"use client";
import { QUEUE_JOB_STATES } from "@hourglass/engine/states";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ExecutorSummary } from "@/components/executor-summary";
import { QueueForm } from "@/components/queue-form";
import { Badge, Button, ErrorText, formatCount, Modal } from "@/components/ui";
import { useTRPC } from "@/lib/trpc";

export default function QueuesPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const queues = useQuery(trpc.queues.getQueueSummaries.queryOptions());
  const [creating, setCreating] = useState(false);
  const create = useMutation(
    trpc.queues.createQueue.mutationOptions({
      onSuccess: async (r) => {
        await queryClient.invalidateQueries({ queryKey: trpc.queues.pathKey() });
        setCreating(false);
        router.push(`/queues/${r.queue.name}`);
      },
    }),
  );

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Queues</h1>
        <Button tone="primary" onClick={() => (create.reset(), setCreating(true))}>Create queue</Button>
      </div>
      <ErrorText error={queues.error} />
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <table className="min-w-full text-sm">
          <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500 dark:bg-slate-800/50 dark:text-slate-400">
            <tr>
              <th className="px-4 py-2">Queue</th>
              <th className="px-4 py-2">Executor</th>
              {QUEUE_JOB_STATES.map((s) => (
                <th key={s} className="px-4 py-2 text-right">{s.replace("_", " ").toLowerCase()}</th>
              ))}
              <th className="px-4 py-2">Dequeue</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {queues.data?.map((q) => (
              <tr key={q.name} data-queue={q.name} className="hover:bg-slate-50 dark:hover:bg-slate-800/40">
                <td className="px-4 py-2 font-medium">
                  <Link className="text-indigo-700 hover:underline dark:text-indigo-300" href={`/queues/${q.name}`}>{q.name}</Link>
                </td>
                <td className="px-4 py-2"><ExecutorSummary executor={q.executor} /></td>
                {QUEUE_JOB_STATES.map((s) => (
                  <td key={s} data-count={s} className="px-4 py-2 text-right tabular-nums"
                      title={q.counts[s].byPriority.map((n, i) => `priority ${i + 1}: ${formatCount(n, q.countCap)}`).join("\n")}>
                    <Link href={`/queues/${q.name}?state=${s}`} className={q.counts[s].total ? "" : "text-slate-400"}>
                      {formatCount(q.counts[s].total, q.countCap * 3)}
                    </Link>
                  </td>
                ))}
                <td className="px-4 py-2">
                  {q.paused ? <Badge state="PAUSED">paused</Badge> : q.dequeueRateLimit === null ? <span className="text-slate-500">unlimited</span> : `${q.dequeueRateLimit}/s`}
                </td>
              </tr>
            ))}
            {queues.data?.length === 0 && (
              <tr><td colSpan={7} className="px-4 py-8 text-center text-slate-500">No queues yet. Create one, or call createQueue.</td></tr>
            )}
            {queues.isLoading && <tr><td colSpan={7} className="px-4 py-8 text-center text-slate-500">Loading…</td></tr>}
          </tbody>
        </table>
      </div>
      <p className="text-xs text-slate-500">Counts are capped at {(10_000).toLocaleString()} per state and priority so this page stays fast on any queue size; hover a count for its split by priority.</p>
      <Modal open={creating} title="Create queue" onClose={() => setCreating(false)}>
        <QueueForm busy={create.isPending} error={create.error} onCancel={() => setCreating(false)} onSubmit={(v) => create.mutate(v)} />
      </Modal>
    </div>
  );
}
