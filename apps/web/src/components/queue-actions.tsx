"use client";
import type { QueueInfo } from "@hourglass/engine";
import { QUEUE_JOB_STATES } from "@hourglass/engine/states";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useCan } from "@/lib/can";
import { need } from "@/lib/permissions";
import { FormError, readNumber } from "@/lib/form-number";
import { settingsPatch } from "@/lib/queue-settings";
import { useTRPC } from "@/lib/trpc";
import { QueueForm } from "./queue-form";
import { Button, ConfirmButton, ErrorText, Field, inputClass, Modal } from "./ui";

type Dialog = null | "enqueue" | "pause" | "settings" | "retry" | "delete" | "deleteQueue";

/**
 * Every operator action on one queue; each asks for confirmation or input
 * first. An action the caller's scopes do not allow is disabled, its title
 * naming the missing scope (the API would refuse it anyway).
 */
export function QueueActions({ queue, failedCount }: { queue: QueueInfo; failedCount: number }) {
  const trpc = useTRPC();
  const can = useCan();
  const cannotEnqueue = can.missing(need.queue("enqueue", queue));
  const cannotManage = can.missing(need.queue("manage", queue));
  const router = useRouter();
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pauseReason, setPauseReason] = useState("");
  const [pauseTried, setPauseTried] = useState(false);
  const done = (message?: string) => async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.queues.pathKey() });
    setDialog(null);
    setNotice(message ?? null);
  };
  const open = (d: Dialog, reset: () => void) => (o: boolean) => (reset(), setDialog(o ? d : null));

  const pause = useMutation(trpc.queues.pauseQueue.mutationOptions({ onSuccess: done("Queue paused: dequeues answer DEQUEUE_RATE_LIMITED until it is resumed.") }));
  const resume = useMutation(trpc.queues.resumeQueue.mutationOptions({ onSuccess: done("Queue resumed.") }));
  const update = useMutation(trpc.queues.updateQueue.mutationOptions({ onSuccess: done("Settings saved.") }));
  const retry = useMutation(trpc.queues.retryFailedJobs.mutationOptions({ onSuccess: (r) => done(`${r.retried} failed job(s) sent back to pending.`)() }));
  const del = useMutation(trpc.queues.deleteJobs.mutationOptions({ onSuccess: (r) => done(`${r.deleted} job(s) deleted.`)() }));
  const enqueue = useMutation(trpc.queues.enqueueJobs.mutationOptions({ onSuccess: (r) => done(`Enqueued ${r.jobDescriptors.join(", ")}.`)() }));
  const deleteQueue = useMutation(
    trpc.queues.deleteQueue.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.queues.pathKey() });
        router.push("/queues");
      },
    }),
  );

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        <Button tone="primary" onClick={() => (enqueue.reset(), setDialog("enqueue"))} disabled={cannotEnqueue !== undefined} title={cannotEnqueue}>
          Enqueue job
        </Button>
        {queue.paused ? (
          <Button onClick={() => resume.mutate({ name: queue.name })} disabled={resume.isPending || cannotManage !== undefined} title={cannotManage}>Resume</Button>
        ) : (
          <ConfirmButton label="Pause" title={`Pause ${queue.name}?`} confirmLabel="Pause queue"
            message={
              <div className="space-y-3">
                <p>Workers stop claiming its jobs and dequeueJobs answers DEQUEUE_RATE_LIMITED. Jobs already running finish. Resume restores the current rate limit.</p>
                <Field label="Reason" hint="Required, as for pausing a scheduler job: recorded in the audit log with your name.">
                  <input aria-label="Reason" className={inputClass} value={pauseReason} maxLength={1000} onChange={(e) => setPauseReason(e.target.value)} />
                </Field>
                {pauseTried && pauseReason.trim() === "" && <p role="alert" className="text-sm text-rose-700 dark:text-rose-300">Say why the queue is paused.</p>}
              </div>
            }
            open={dialog === "pause"} setOpen={open("pause", () => (pause.reset(), setPauseReason(""), setPauseTried(false)))} busy={pause.isPending} error={pause.error}
            disabledReason={cannotManage}
            onConfirm={() => (setPauseTried(true), pauseReason.trim() !== "" && pause.mutate({ name: queue.name, reason: pauseReason.trim() }))} />
        )}
        <Button onClick={() => (update.reset(), setDialog("settings"))} disabled={cannotManage !== undefined} title={cannotManage}>Settings</Button>
        {/* nothing failed, nothing to retry: not offered (the FAILED list's bulk bar retries a selection or a filter) */}
        {failedCount > 0 && (
          <ConfirmButton label="Retry failed" title={`Retry failed jobs of ${queue.name}?`} confirmLabel="Retry failed jobs"
            message={<>Moves up to 1,000 of the {failedCount.toLocaleString()} FAILED job(s) back to PENDING with one more attempt each, due now.</>}
            open={dialog === "retry"} setOpen={open("retry", retry.reset)} busy={retry.isPending} error={retry.error} disabledReason={cannotManage}
            onConfirm={() => retry.mutate({ queueName: queue.name, attemptsToAllow: 1, limit: 1000 })} />
        )}
        <Button onClick={() => (del.reset(), setDialog("delete"))} disabled={cannotManage !== undefined} title={cannotManage}>Delete jobs…</Button>
        <ConfirmButton label="Delete queue" tone="danger" title={`Delete queue ${queue.name}?`} confirmLabel="Delete queue and all its jobs"
          message="The queue and every job in it are deleted. This cannot be undone."
          open={dialog === "deleteQueue"} setOpen={open("deleteQueue", deleteQueue.reset)} busy={deleteQueue.isPending} error={deleteQueue.error}
          disabledReason={cannotManage}
          onConfirm={() => deleteQueue.mutate({ name: queue.name })} />
      </div>
      {notice && <p role="status" className="text-sm text-emerald-700 dark:text-emerald-300">{notice}</p>}

      <Modal open={dialog === "enqueue"} title={`Enqueue a job on ${queue.name}`} onClose={() => setDialog(null)}>
        <EnqueueForm busy={enqueue.isPending} error={enqueue.error} onCancel={() => setDialog(null)}
          onSubmit={(job) => enqueue.mutate({ queueName: queue.name, jobs: [job] })} />
      </Modal>
      <Modal open={dialog === "settings"} title={`Settings of ${queue.name}`} onClose={() => setDialog(null)}>
        <QueueForm queue={queue} busy={update.isPending} error={update.error} onCancel={() => setDialog(null)}
          onSubmit={(f) => {
            // only what the operator changed: updateQueue keeps the rest (headers, env, body, cwd)
            const settings = settingsPatch(queue, f);
            if (Object.keys(settings).length === 0) return (setDialog(null), setNotice("Nothing changed."));
            update.mutate({ name: queue.name, settings });
          }} />
      </Modal>
      <Modal open={dialog === "delete"} title={`Delete jobs of ${queue.name}`} onClose={() => setDialog(null)}>
        <DeleteForm busy={del.isPending} error={del.error} onCancel={() => setDialog(null)}
          onSubmit={(f) => del.mutate({ queueName: queue.name, ...f })} />
      </Modal>
    </div>
  );
}

function EnqueueForm(props: { busy: boolean; error: unknown; onCancel: () => void; onSubmit: (job: { body: string; priority: number; numAttemptsAllowed: number; runAfterTimestampMillis?: number; customStatus: string }) => void }) {
  const [body, setBody] = useState("");
  const [priority, setPriority] = useState("1");
  const [attempts, setAttempts] = useState("2");
  const [delay, setDelay] = useState("0");
  const [status, setStatus] = useState("");
  const [formError, setFormError] = useState<string | null>(null);
  function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    try {
      // checked here, in the units the form asks for (a NaN would reach the API as null)
      const numAttemptsAllowed = readNumber("Attempts allowed", attempts, { min: 1, max: 1000, integer: true });
      const seconds = readNumber("Run after (s)", delay, { min: 0 });
      props.onSubmit({
        body, priority: Number(priority), numAttemptsAllowed, customStatus: status,
        ...(seconds > 0 && { runAfterTimestampMillis: Date.now() + seconds * 1000 }),
      });
    } catch (err) {
      if (!(err instanceof FormError)) throw err;
      setFormError(err.message);
    }
  }
  return (
    <form onSubmit={submit} className="space-y-4">
      <Field label="Body"><textarea className={`${inputClass} font-mono`} rows={4} value={body} onChange={(e) => setBody(e.target.value)} /></Field>
      <div className="grid grid-cols-3 gap-3">
        <Field label="Priority" hint="1 is highest">
          <select className={inputClass} value={priority} onChange={(e) => setPriority(e.target.value)}>
            <option>1</option><option>2</option><option>3</option>
          </select>
        </Field>
        <Field label="Attempts allowed"><input className={inputClass} inputMode="numeric" value={attempts} onChange={(e) => setAttempts(e.target.value)} /></Field>
        <Field label="Run after (s)" hint="0 = now"><input className={inputClass} inputMode="numeric" value={delay} onChange={(e) => setDelay(e.target.value)} /></Field>
      </div>
      <Field label="Custom status"><input className={inputClass} value={status} onChange={(e) => setStatus(e.target.value)} /></Field>
      <ErrorText error={formError ?? props.error} />
      <div className="flex justify-end gap-2">
        <Button onClick={props.onCancel}>Cancel</Button>
        <Button tone="primary" type="submit" disabled={props.busy}>Enqueue</Button>
      </div>
    </form>
  );
}

function DeleteForm(props: { busy: boolean; error: unknown; onCancel: () => void; onSubmit: (f: { jobState: (typeof QUEUE_JOB_STATES)[number]; priority?: number; bodyRegexToMatch?: string; limit: number }) => void }) {
  const [state, setState] = useState<(typeof QUEUE_JOB_STATES)[number]>("FAILED");
  const [priority, setPriority] = useState("");
  const [regex, setRegex] = useState("");
  const [limit, setLimit] = useState("1000");
  const [sure, setSure] = useState(false);
  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit({ jobState: state, limit: Number(limit), ...(priority && { priority: Number(priority) }), ...(regex && { bodyRegexToMatch: regex }) });
      }}
    >
      <div className="grid grid-cols-3 gap-3">
        <Field label="State">
          <select className={inputClass} value={state} onChange={(e) => setState(e.target.value as typeof state)}>
            {QUEUE_JOB_STATES.map((s) => <option key={s}>{s}</option>)}
          </select>
        </Field>
        <Field label="Priority">
          <select className={inputClass} value={priority} onChange={(e) => setPriority(e.target.value)}>
            <option value="">any</option><option>1</option><option>2</option><option>3</option>
          </select>
        </Field>
        <Field label="At most"><input className={inputClass} inputMode="numeric" value={limit} onChange={(e) => setLimit(e.target.value)} /></Field>
      </div>
      <Field label="Body matches (regex)" hint="PostgreSQL regular expression; empty = any body">
        <input className={`${inputClass} font-mono`} value={regex} onChange={(e) => setRegex(e.target.value)} />
      </Field>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={sure} onChange={(e) => setSure(e.target.checked)} /> I understand deleted jobs cannot be recovered
      </label>
      <ErrorText error={props.error} />
      <div className="flex justify-end gap-2">
        <Button onClick={props.onCancel}>Cancel</Button>
        <Button tone="danger" type="submit" disabled={props.busy || !sure}>Delete jobs</Button>
      </div>
    </form>
  );
}
