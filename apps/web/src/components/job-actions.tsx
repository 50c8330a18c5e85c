"use client";
import type { JobSummary } from "@hourglass/engine";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useCan } from "@/lib/can";
import { need } from "@/lib/permissions";
import { useTRPC } from "@/lib/trpc";
import { Button, ConfirmButton, ErrorText, Field, inputClass, Modal } from "./ui";

/**
 * Pause (asks why) / Resume, Abort (confirms), Trigger: the operator's buttons
 * for one job, disabled with the missing scope as their title when the
 * caller may not use them (scheduler:manage, scheduler:trigger).
 */
export function JobActions({ job, compact = false }: { job: JobSummary; compact?: boolean }) {
  const trpc = useTRPC();
  const can = useCan();
  const cannotManage = can.missing(need.schedulerJob("manage", job));
  const cannotTrigger = can.missing(need.schedulerJob("trigger", job));
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<null | "pause" | "abort">(null);
  const [reason, setReason] = useState("");
  const done = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.scheduler.pathKey() });
    setDialog(null);
  };
  const pause = useMutation(trpc.scheduler.pauseJob.mutationOptions({ onSuccess: done }));
  const resume = useMutation(trpc.scheduler.resumeJob.mutationOptions({ onSuccess: done }));
  const abort = useMutation(trpc.scheduler.abortJob.mutationOptions({ onSuccess: done }));
  const trigger = useMutation(trpc.scheduler.triggerJob.mutationOptions({ onSuccess: done }));
  const disabled = job.state === "DISABLED";
  return (
    <div className={`flex flex-wrap gap-2 ${compact ? "justify-end" : ""}`}>
      {job.paused ? (
        <Button onClick={() => resume.mutate({ job: job.job })} disabled={resume.isPending || cannotManage !== undefined} title={cannotManage}>Resume</Button>
      ) : (
        <Button onClick={() => (pause.reset(), setReason(""), setDialog("pause"))} disabled={disabled || cannotManage !== undefined} title={cannotManage}>
          Pause
        </Button>
      )}
      <ConfirmButton label="Abort" tone="danger" title={`Abort ${job.job}?`} confirmLabel="Abort invocations"
        message="Every active invocation of this job is aborted and its task killed."
        open={dialog === "abort"} setOpen={(o) => (abort.reset(), setDialog(o ? "abort" : null))} busy={abort.isPending} error={abort.error}
        disabledReason={cannotManage}
        onConfirm={() => abort.mutate({ job: job.job })} />
      <Button tone="primary" onClick={() => trigger.mutate({ job: job.job, title: "triggered from the dashboard" })} disabled={trigger.isPending || disabled || Boolean(job.paused) || cannotTrigger !== undefined} title={cannotTrigger}>
        Trigger
      </Button>
      {(trigger.error || resume.error) && <ErrorText error={trigger.error ?? resume.error} />}
      <Modal open={dialog === "pause"} title={`Pause ${job.job}`} onClose={() => setDialog(null)}>
        <form className="space-y-4" onSubmit={(e) => (e.preventDefault(), pause.mutate({ job: job.job, reason }))}>
          <p className="text-sm">Ticks stop and new triggers are ignored until it is resumed; pending triggers are discarded; running invocations continue.</p>
          <Field label="Reason"><input className={inputClass} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus /></Field>
          <ErrorText error={pause.error} />
          <div className="flex justify-end gap-2">
            <Button onClick={() => setDialog(null)}>Cancel</Button>
            <Button tone="primary" type="submit" disabled={pause.isPending}>Pause job</Button>
          </div>
        </form>
      </Modal>
    </div>
  );
}

const FLAVOR_ICON = { periodic: "⟳", triggered: "⚡", triggering: "→" } as const;
const FLAVOR_DOC = { periodic: "periodic: runs on a schedule", triggered: "triggered: runs when triggered", triggering: "triggering: triggers other jobs when it succeeds" } as const;

/** What the flavour icons mean, on screen (their titles need a hover). */
export function FlavorLegend() {
  return (
    <p data-testid="flavor-legend" className="text-xs text-slate-500">
      {(Object.keys(FLAVOR_ICON) as JobSummary["flavor"][]).map((f, i) => (
        <span key={f}>{i > 0 && " · "}<span aria-hidden>{FLAVOR_ICON[f]}</span> {FLAVOR_DOC[f]}</span>
      ))}
    </p>
  );
}

export function Flavor({ flavor }: { flavor: JobSummary["flavor"] }) {
  return <span title={FLAVOR_DOC[flavor]} aria-label={flavor} className="inline-block w-5 text-center text-slate-500">{FLAVOR_ICON[flavor]}</span>;
}
