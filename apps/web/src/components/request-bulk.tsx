"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useCan } from "@/lib/can";
import { need } from "@/lib/permissions";
import { useTRPC } from "@/lib/trpc";
import type { BulkActionDef, BulkTarget } from "./bulk-bar";

/** The requests list's filter, as find reads it; a bulk action by filter needs its type. */
export interface RequestListFilter {
  type?: string;
  states: ("PENDING" | "RUNNING" | "SUSPENDED" | "COMPLETE" | "FAIL" | "STOPPED")[];
  user?: string;
  args: Record<string, string>;
  since?: number;
  until?: number;
}

type Batch = { done: number; skipped: { reason: string; count: number }[]; next: string | null };

/** Requests per batch of a filter (each is its own transaction). */
const BATCH = 50;
const COUNT_CAP = 10_000;

/**
 * The bulk actions of the requests list: Stop and Suspend (both ask why),
 * Resume — on a selection, or on every request the filter matches once it
 * names a request type (the scope to act is per type). Requests in another
 * state are skipped, saying so.
 */
export function useRequestBulk(filter: RequestListFilter, selected: { project: string; type: string }[], enabled: boolean) {
  const trpc = useTRPC();
  const can = useCan();
  const typed = filter.type ? { ...filter, type: filter.type } : null;
  const count = useQuery({
    ...trpc.requests.count.queryOptions({ filter: typed ?? { type: "-" }, cap: COUNT_CAP }),
    enabled: enabled && typed !== null,
  });
  const stop = useMutation(trpc.requests.stopMany.mutationOptions());
  const suspend = useMutation(trpc.requests.suspendMany.mutationOptions());
  const resume = useMutation(trpc.requests.resumeMany.mutationOptions());
  const missing = (action: "stop" | "suspend" | "resume") =>
    selected.map((r) => can.missing(need.request(action, r))).find((m) => m !== undefined);
  const target = (t: BulkTarget, cursor: unknown) => t.kind === "ids"
    ? { ids: t.ids }
    : { filter: typed!, limit: BATCH, ...(typeof cursor === "string" && { after: cursor }) };
  const def = (
    id: "stop" | "suspend" | "resume", label: string, done: string, describe: string,
    call: (input: ReturnType<typeof target> & { reason: string }) => Promise<Batch>,
  ): BulkActionDef => ({
    id, label, done, describe, tone: id === "stop" ? "danger" : undefined, reason: id === "resume" ? "optional" : "required",
    disabledReason: missing(id),
    run: async (t, p, c) => {
      const r = await call({ ...target(t, c), reason: p.reason });
      return { done: r.done, skipped: r.skipped, next: r.next };
    },
  });
  const actions = [
    def("suspend", "Suspend", "suspended", "Each RUNNING request is suspended with its progress kept; others are skipped.",
      (i) => suspend.mutateAsync(i)),
    def("resume", "Resume", "resumed", "Each SUSPENDED request runs again from where it was; others are skipped.",
      (i) => resume.mutateAsync(i)),
    def("stop", "Stop", "stopped", "Each request not finished is stopped: running jobs are killed. This cannot be undone.",
      (i) => stop.mutateAsync(i)),
  ];
  return { actions, matching: typed ? count.data ?? null : null };
}
