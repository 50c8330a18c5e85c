"use client";
import { isStoppableRequestState } from "@hourglass/engine/states";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useCan } from "@/lib/can";
import { need } from "@/lib/permissions";
import { useTRPC } from "@/lib/trpc";
import { Button, ErrorText, Field, inputClass, Modal, Time } from "./ui";

type Action = "stop" | "suspend" | "resume" | "retry";
type Request = { id: string; state: string; project: string; type: string };

const ASK: Record<Action, { label: string; title: string; message: string; reason: "required" | "optional"; danger?: boolean }> = {
  stop: {
    label: "Stop", title: "Stop request", danger: true, reason: "required",
    message: "Running jobs are killed and no further job starts. This cannot be undone.",
  },
  suspend: {
    label: "Suspend", title: "Suspend request", reason: "required",
    message: "Running jobs are interrupted and run again on resume; progress is kept.",
  },
  resume: { label: "Resume", title: "Resume request", reason: "optional", message: "Jobs whose parents completed are dispatched again." },
  retry: {
    label: "Retry from the failed job", title: "Retry request from its failed job", reason: "optional",
    message: "Its failed jobs run again with their retries restored; jobs that completed are not run again.",
  },
};

/**
 * A request's actions, each asking first: Stop and Suspend ask why (shown on
 * the page with who did it), Resume, and for a failed request "Retry from
 * the failed job". Offered by state; disabled, naming the scope, when the
 * caller may not.
 */
export function RequestActions({ request }: { request: Request }) {
  const trpc = useTRPC();
  const client = useQueryClient();
  const can = useCan();
  const [open, setOpen] = useState<Action | null>(null);
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const done = () => {
    setOpen(null);
    void client.invalidateQueries({ queryKey: trpc.requests.pathKey() });
  };
  const m = {
    stop: useMutation(trpc.requests.stop.mutationOptions({ onSuccess: done })),
    suspend: useMutation(trpc.requests.suspend.mutationOptions({ onSuccess: done })),
    resume: useMutation(trpc.requests.resume.mutationOptions({ onSuccess: done })),
    retry: useMutation(trpc.requests.retry.mutationOptions({ onSuccess: done })),
  };
  const offered: Action[] = [
    ...(request.state === "RUNNING" ? ["suspend" as const] : []),
    ...(request.state === "SUSPENDED" ? ["resume" as const] : []),
    ...(request.state === "FAIL" ? ["retry" as const] : []),
    ...(isStoppableRequestState(request.state) ? ["stop" as const] : []),
  ];
  // retrying continues a request: the API asks for the resume scope
  const cannot = (a: Action) => can.missing(need.request(a === "retry" ? "resume" : a, request));
  const confirm = (a: Action) => {
    const why = reason.trim();
    if (ASK[a].reason === "required" && why === "") return setProblem("Say why: it is shown on the request's page with your name.");
    m[a].mutate({ id: request.id, reason: why });
  };
  return (
    <>
      {offered.map((a) => (
        <Button key={a} tone={a === "retry" ? "primary" : undefined} disabled={cannot(a) !== undefined} title={cannot(a)}
          onClick={() => (m[a].reset(), setReason(""), setProblem(null), setOpen(a))}>
          {ASK[a].label}
        </Button>
      ))}
      {open && (
        <Modal open title={`${ASK[open].title} ${request.id}?`} onClose={() => setOpen(null)}>
          <div className="space-y-4 text-sm">
            <p>{ASK[open].message}</p>
            <Field label={ASK[open].reason === "required" ? "Reason" : "Reason (optional)"} hint="Recorded in the request's history with your name.">
              <input aria-label="Reason" className={inputClass} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
            </Field>
            {problem && <p role="alert" className="text-rose-700 dark:text-rose-300">{problem}</p>}
            <ErrorText error={m[open].error} />
            <div className="flex justify-end gap-2">
              <Button onClick={() => setOpen(null)}>Cancel</Button>
              <Button tone={ASK[open].danger ? "danger" : "primary"} disabled={m[open].isPending} onClick={() => confirm(open)}>
                {ASK[open].title}
              </Button>
            </div>
          </div>
        </Modal>
      )}
    </>
  );
}

const SAID: Record<string, string> = { stopped: "Stopped", suspended: "Suspended", resumed: "Resumed", retried: "Retried" };

/**
 * Who last stopped, suspended, resumed or retried the request, when, and
 * why — from its history in the event log (a request's own events are few:
 * its state changes).
 */
export function RequestLastAction({ requestId }: { requestId: string }) {
  const trpc = useTRPC();
  const history = useQuery(trpc.requests.history.queryOptions({ id: requestId, limit: 500 }));
  const last = history.data?.events.filter((e) => SAID[e.action]).at(-1);
  if (!last) return null;
  return (
    <p data-testid="request-last-action" className="text-sm text-slate-600 dark:text-slate-300">
      {SAID[last.action]} by <span className="font-medium">{last.actor}</span> <Time ms={last.atTimestampMillis} />
      {last.reason ? <>: <q>{last.reason}</q></> : " (no reason given)"}
    </p>
  );
}
