"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useCan } from "@/lib/can";
import { need } from "@/lib/permissions";
import { useTRPC } from "@/lib/trpc";
import { ScheduleFields } from "./bulk-bar";
import { Button, ConfirmDialog, ErrorText, Modal } from "./ui";

type Outcome = { skipped: { reason: string }[] };

/**
 * One queue job's actions on its page: Retry (a FAILED job, one more
 * attempt, due now), Requeue (not while a worker holds it: a new runAfter and
 * attempts), Delete (asks first, then back to the queue). They are the bulk
 * procedures on a selection of one; a job that changed state meanwhile says
 * why nothing happened.
 */
export function QueueJobActions({ job }: { job: { jobDescriptor: string; jobState: string; attemptsAllowed: number } }) {
  const queueName = job.jobDescriptor.slice(0, job.jobDescriptor.lastIndexOf(":"));
  const trpc = useTRPC();
  const client = useQueryClient();
  const router = useRouter();
  const can = useCan();
  const queue = useQuery(trpc.queues.getQueue.queryOptions({ name: queueName }));
  const [dialog, setDialog] = useState<null | "requeue" | "delete">(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [delay, setDelay] = useState("0");
  const [attempts, setAttempts] = useState(String(job.attemptsAllowed));
  const [problem, setProblem] = useState<string | null>(null);
  const settle = (what: string) => (r: Outcome & Record<string, unknown>, count: number) => {
    void client.invalidateQueries({ queryKey: trpc.queues.pathKey() });
    setDialog(null);
    setNotice(count > 0 ? what : `Nothing done: ${r.skipped[0]?.reason ?? "the job changed meanwhile"}.`);
  };
  const retry = useMutation(trpc.queues.retryFailedJobs.mutationOptions({
    onSuccess: (r) => settle("Retried: due now, with one more attempt.")(r, r.retried),
  }));
  const requeue = useMutation(trpc.queues.requeueJobs.mutationOptions({ onSuccess: (r) => settle("Requeued.")(r, r.requeued) }));
  const del = useMutation(trpc.queues.deleteJobs.mutationOptions({
    onSuccess: (r) => (r.deleted > 0 ? router.push(`/queues/${queueName}`) : settle("")(r, 0)),
  }));
  if (!queue.data || queue.data.system) return null;
  const cannot = can.missing(need.queue("manage", queue.data));
  const one = { queueName, jobDescriptors: [job.jobDescriptor] };

  function submitRequeue() {
    const seconds = Number(delay);
    const n = Number(attempts);
    if (!Number.isFinite(seconds) || seconds < 0) return setProblem("Run after is a number of seconds, 0 or more.");
    if (!Number.isInteger(n) || n < 1 || n > 1000) return setProblem("Attempts is a whole number from 1 to 1000.");
    setProblem(null);
    requeue.mutate({ ...one, attemptsToAllow: n, ...(seconds > 0 && { runAfterTimestampMillis: Date.now() + seconds * 1000 }) });
  }

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2" data-testid="job-actions">
        {job.jobState === "FAILED" && (
          <Button tone="primary" disabled={cannot !== undefined || retry.isPending} title={cannot}
            onClick={() => retry.mutate({ ...one, attemptsToAllow: 1 })}>Retry</Button>
        )}
        {job.jobState !== "IN_PROGRESS" && (
          <Button disabled={cannot !== undefined} title={cannot}
            onClick={() => (requeue.reset(), setProblem(null), setDialog("requeue"))}>Requeue…</Button>
        )}
        <Button disabled={cannot !== undefined} title={cannot} onClick={() => (del.reset(), setDialog("delete"))}>Delete</Button>
      </div>
      {notice && <p role="status" className="text-sm text-emerald-700 dark:text-emerald-300">{notice}</p>}
      <ErrorText error={retry.error} />
      <Modal open={dialog === "requeue"} title={`Requeue ${job.jobDescriptor}`} onClose={() => setDialog(null)}>
        <div className="space-y-4 text-sm">
          <p>The job goes (back) to PENDING, due when you say, with this many attempts.</p>
          <ScheduleFields delay={delay} setDelay={setDelay} attempts={attempts} setAttempts={setAttempts} />
          {problem && <p role="alert" className="text-rose-700 dark:text-rose-300">{problem}</p>}
          <ErrorText error={requeue.error} />
          <div className="flex justify-end gap-2">
            <Button onClick={() => setDialog(null)}>Cancel</Button>
            <Button tone="primary" disabled={requeue.isPending} onClick={submitRequeue}>Requeue</Button>
          </div>
        </div>
      </Modal>
      <ConfirmDialog open={dialog === "delete"} title={`Delete ${job.jobDescriptor}?`} tone="danger" confirmLabel="Delete job"
        message="The job and its history of attempts are deleted (its events stay in the audit log). This cannot be undone."
        busy={del.isPending} error={del.error} onClose={() => setDialog(null)} onConfirm={() => del.mutate(one)} />
    </div>
  );
}
