"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useCan } from "@/lib/can";
import { need } from "@/lib/permissions";
import { useTRPC } from "@/lib/trpc";
import { ConfirmButton } from "./ui";

/**
 * "Run again with the same triggers": the invocation's triggers are emitted
 * again under new ids (scheduler.rerunInvocation), and triage starts a new
 * invocation as for any trigger; a paused job ignores them, and says so.
 */
export function RerunInvocation({ project, id, invocationId, triggers }: {
  project: string; id: string; invocationId: string; triggers: number;
}) {
  const trpc = useTRPC();
  const client = useQueryClient();
  const cannot = useCan().missing(need.schedulerJob("trigger", { project, id }));
  const [open, setOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const rerun = useMutation(trpc.scheduler.rerunInvocation.mutationOptions({
    onSuccess: async (r) => {
      setOpen(false);
      setNotice(r.accepted > 0 ? "Triggered again: a new invocation starts shortly." : "Ignored: the job is paused.");
      await client.invalidateQueries({ queryKey: trpc.scheduler.pathKey() });
    },
  }));
  return (
    <>
      <ConfirmButton label="Run again" title={`Run ${project}/${id} again with the triggers of invocation ${invocationId}?`}
        confirmLabel="Run again"
        message={triggers > 0
          ? `Its ${triggers} trigger(s) are emitted again under new ids (title, properties and tags kept, tag "rerun" added).`
          : "It had no triggers: one manual trigger is emitted."}
        open={open} setOpen={(o) => (rerun.reset(), setOpen(o))} busy={rerun.isPending} error={rerun.error} disabledReason={cannot}
        onConfirm={() => rerun.mutate({ job: `${project}/${id}`, invocationId })} />
      {notice && <span role="status" className="text-sm text-emerald-700 dark:text-emerald-300">{notice}</span>}
    </>
  );
}
