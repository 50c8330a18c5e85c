"use client";
import { useMutation } from "@tanstack/react-query";
import { useCan } from "@/lib/can";
import { need } from "@/lib/permissions";
import { useTRPC } from "@/lib/trpc";
import type { BulkActionDef } from "./bulk-bar";

/** Invocations per batch of "every active one". */
const BATCH = 50;

/**
 * The bulk action of a job's invocation list: Abort, on a selection (finished
 * ones are skipped, saying their state) or on every active invocation
 * (scheduler.abortInvocations, in batches).
 */
export function useInvocationBulk(project: string, id: string): BulkActionDef[] {
  const trpc = useTRPC();
  const cannot = useCan().missing(need.schedulerJob("manage", { project, id }));
  const abort = useMutation(trpc.scheduler.abortInvocations.mutationOptions());
  const job = `${project}/${id}`;
  return [{
    id: "abort", label: "Abort", done: "aborted", tone: "danger", disabledReason: cannot,
    describe: "Each active invocation's task is killed and it ends as ABORTED; finished ones are skipped.",
    run: async (target, _params, cursor) => {
      const r = await abort.mutateAsync(target.kind === "ids"
        ? { job, invocationIds: target.ids }
        : { job, limit: BATCH, ...(typeof cursor === "string" && { after: cursor }) });
      return { done: r.aborted, skipped: r.skipped, next: r.next };
    },
  }];
}
