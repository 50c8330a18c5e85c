"use client";
import type { QueueJobState } from "@hourglass/engine/states";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useCan } from "@/lib/can";
import { need } from "@/lib/permissions";
import { useTRPC } from "@/lib/trpc";
import type { BatchResult, BulkActionDef, BulkParams, BulkTarget } from "./bulk-bar";

/** The job list's filter, as scanJobs reads it (a bulk action by filter takes exactly what the list shows). */
export interface JobListFilter {
  state: QueueJobState;
  priority?: number;
  future: boolean;
  regex: string;
}

/** Jobs of one batch of a filter (the API's limit per call). */
const BATCH = 500;
/** The count shown before acting on a filter stops here ("10,000+"). */
export const BULK_COUNT_CAP = 10_000;

type Outcome = { skipped: { reason: string; count: number }[]; more: boolean; before: number };
const batch = (done: number, r: Outcome): BatchResult => ({ done, skipped: r.skipped, next: r.more ? r.before : null });

/**
 * The bulk actions of a queue's job list, on a selection or on its filter:
 * retry (FAILED only, so only offered on the FAILED list or a selection),
 * delete, requeue (new runAfter / attempts; not for claimed jobs) and cancel
 * (PENDING only). Each is a queues procedure; the count comes first.
 */
export function useQueueJobBulk(queue: { name: string; project: string }, filter: JobListFilter, enabled: boolean) {
  const trpc = useTRPC();
  const can = useCan();
  const cannot = can.missing(need.queue("manage", queue));
  const count = useQuery({
    ...trpc.queues.getJobCount.queryOptions({
      queueName: queue.name, jobState: filter.state, priority: filter.priority, countFutureJobs: filter.future,
      cap: BULK_COUNT_CAP, ...(filter.regex && { bodyRegexToMatch: filter.regex }),
    }),
    enabled,
  });
  const retry = useMutation(trpc.queues.retryFailedJobs.mutationOptions());
  const del = useMutation(trpc.queues.deleteJobs.mutationOptions());
  const requeue = useMutation(trpc.queues.requeueJobs.mutationOptions());
  const cancel = useMutation(trpc.queues.cancelJobs.mutationOptions());

  const scope = (target: BulkTarget, cursor: unknown, state: boolean) => target.kind === "ids"
    ? { queueName: queue.name, jobDescriptors: target.ids }
    : {
      queueName: queue.name, limit: BATCH, future: filter.future, ...(state && { jobState: filter.state }),
      ...(filter.priority !== undefined && { priority: filter.priority }), ...(filter.regex && { bodyRegexToMatch: filter.regex }),
      ...(typeof cursor === "number" && { before: cursor }),
    };
  // the list shows one state: an action that cannot move jobs of that state is not offered on it
  const notOnThisList = (states: QueueJobState[]) =>
    states.includes(filter.state) ? undefined : `only for ${states.join(", ")} jobs`;

  const actions: (BulkActionDef & { hidden?: string })[] = [
    {
      id: "retry", label: "Retry", done: "retried", tone: "primary",
      // retrying is for failed jobs: not offered on a list that shows none
      hidden: notOnThisList(["FAILED"]),
      disabledReason: cannot,
      describe: "Each FAILED job goes back to PENDING, due now, with one more attempt.",
      run: async (t, _p: BulkParams, c) => {
        const r = await retry.mutateAsync({ ...scope(t, c, false), attemptsToAllow: 1 });
        return batch(r.retried, r);
      },
    },
    {
      id: "requeue", label: "Requeue…", done: "requeued", schedule: true,
      hidden: notOnThisList(["PENDING", "FAILED", "SUCCEEDED"]),
      disabledReason: cannot,
      describe: "Each job that no worker holds goes (back) to PENDING at the time you choose; claimed jobs are skipped.",
      run: async (t, p, c) => {
        const r = await requeue.mutateAsync({
          ...scope(t, c, true), ...(p.runAfter !== undefined && { runAfterTimestampMillis: p.runAfter }),
          ...(p.attempts !== undefined && { attemptsToAllow: p.attempts }),
        } as Parameters<typeof requeue.mutateAsync>[0]);
        return batch(r.requeued, r);
      },
    },
    {
      id: "cancel", label: "Cancel", done: "cancelled",
      hidden: notOnThisList(["PENDING"]),
      disabledReason: cannot,
      describe: "Each PENDING job becomes FAILED before a worker claims it (a retry brings it back); others are skipped.",
      run: async (t, _p, c) => {
        const r = await cancel.mutateAsync(scope(t, c, false));
        return batch(r.cancelled, r);
      },
    },
    {
      id: "delete", label: "Delete", done: "deleted", tone: "danger",
      disabledReason: cannot,
      describe: "The jobs are deleted, in whatever state. This cannot be undone.",
      run: async (t, _p, c) => {
        const r = await del.mutateAsync(scope(t, c, true) as Parameters<typeof del.mutateAsync>[0]);
        return batch(r.deleted, r);
      },
    },
  ];
  return { actions: actions.filter((a) => a.hidden === undefined), matching: count.data ?? null };
}
