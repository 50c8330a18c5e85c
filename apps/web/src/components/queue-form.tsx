"use client";
import type { ExecutorConfig, QueueInfo } from "@hourglass/engine";
import { useState, type FormEvent } from "react";
import { Button, ErrorText, Field, inputClass } from "./ui";

type Kind = "none" | ExecutorConfig["kind"];

export interface QueueFormValues {
  name: string;
  claimTimeoutMillis: number;
  succeededRetentionMillis: number;
  failedRetentionMillis: number;
  dequeueRateLimit: number | null;
  executor: ExecutorConfig | null;
}

function initial(queue?: QueueInfo) {
  const ex = queue?.executor;
  return {
    name: queue?.name ?? "",
    kind: (ex?.kind ?? "none") as Kind,
    method: ex?.kind === "http" ? ex.method : "POST",
    url: ex?.kind === "http" ? ex.url : "",
    command: ex?.kind === "shell" ? ex.command : "sh",
    handler: ex?.kind === "handler" ? ex.name : "echo",
    args: ex?.kind === "shell" ? ex.args.join("\n") : "-c\necho \"hello from $HOURGLASS_JOB_DESCRIPTOR\"",
    timeoutSeconds: String((ex && "timeoutMillis" in ex ? ex.timeoutMillis : 60_000) / 1000),
    retryDelayMillis: String(ex?.retryDelayMillis ?? 1000),
    claimTimeoutSeconds: String((queue?.claimTimeoutMillis ?? 300_000) / 1000),
    succeededRetentionHours: String((queue?.succeededRetentionMillis ?? 86_400_000) / 3_600_000),
    failedRetentionHours: String((queue?.failedRetentionMillis ?? 604_800_000) / 3_600_000),
    rateLimit: queue?.dequeueRateLimit === null || queue?.dequeueRateLimit === undefined || queue.dequeueRateLimit === 0 ? "" : String(queue.dequeueRateLimit),
  };
}

/** Create a queue or edit its settings; the server validates and its messages are shown as they are. */
export function QueueForm(props: { queue?: QueueInfo; busy: boolean; error: unknown; onSubmit: (v: QueueFormValues) => void; onCancel: () => void }) {
  const [f, setF] = useState(() => initial(props.queue));
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const editing = props.queue !== undefined;

  function submit(e: FormEvent) {
    e.preventDefault();
    const retryDelayMillis = Number(f.retryDelayMillis);
    const timeoutMillis = Math.round(Number(f.timeoutSeconds) * 1000);
    const executor: ExecutorConfig | null =
      f.kind === "none" ? null
      : f.kind === "noop" ? { kind: "noop", retryDelayMillis }
      : f.kind === "handler" ? { kind: "handler", name: f.handler, retryDelayMillis }
      : f.kind === "http" ? { kind: "http", method: f.method as "POST", url: f.url, headers: {}, timeoutMillis, retryDelayMillis }
      : { kind: "shell", command: f.command, args: f.args.split("\n").filter((a) => a !== ""), env: {}, timeoutMillis, retryDelayMillis };
    props.onSubmit({
      name: f.name.trim(),
      claimTimeoutMillis: Math.round(Number(f.claimTimeoutSeconds) * 1000),
      succeededRetentionMillis: Math.round(Number(f.succeededRetentionHours) * 3_600_000),
      failedRetentionMillis: Math.round(Number(f.failedRetentionHours) * 3_600_000),
      dequeueRateLimit: f.rateLimit.trim() === "" ? (props.queue?.paused ? 0 : null) : Number(f.rateLimit),
      executor,
    });
  }

  return (
    <form onSubmit={submit} className="space-y-4">
      {!editing && (
        <Field label="Name" hint="Letters, digits and underscores; at most 64 characters.">
          <input className={inputClass} value={f.name} onChange={set("name")} required autoFocus />
        </Field>
      )}
      <Field label="Executor" hint="What the worker runs for each job. None: external programs call dequeueJobs / ackDequeuedJobs.">
        <select className={inputClass} value={f.kind} onChange={set("kind")}>
          <option value="none">None (external consumers)</option>
          <option value="noop">noop</option>
          <option value="http">http</option>
          <option value="shell">shell</option>
          <option value="handler">TypeScript handler</option>
        </select>
      </Field>
      {f.kind === "handler" && (
        <Field label="Handler name" hint="Registered in apps/worker/src/handlers.ts; workers without it leave the queue alone.">
          <input className={inputClass} value={f.handler} onChange={set("handler")} />
        </Field>
      )}
      {f.kind === "http" && (
        <div className="grid grid-cols-[7rem_1fr] gap-3">
          <Field label="Method">
            <select className={inputClass} value={f.method} onChange={set("method")}>
              {["POST", "PUT", "PATCH", "GET", "DELETE"].map((m) => <option key={m}>{m}</option>)}
            </select>
          </Field>
          <Field label="URL" hint="2xx = success. The job body is the request body.">
            <input className={inputClass} value={f.url} onChange={set("url")} placeholder="https://example.internal/hook" />
          </Field>
        </div>
      )}
      {f.kind === "shell" && (
        <>
          <Field label="Command" hint="A program on the worker's PATH.">
            <input className={inputClass} value={f.command} onChange={set("command")} />
          </Field>
          <Field label="Arguments" hint="One per line. The job body arrives on stdin and in $HOURGLASS_JOB_BODY; exit 0 = success.">
            <textarea className={`${inputClass} font-mono`} rows={3} value={f.args} onChange={set("args")} />
          </Field>
        </>
      )}
      {f.kind !== "none" && (
        <div className="grid grid-cols-2 gap-3">
          {(f.kind === "http" || f.kind === "shell") && (
            <Field label="Timeout (s)"><input className={inputClass} inputMode="decimal" value={f.timeoutSeconds} onChange={set("timeoutSeconds")} /></Field>
          )}
          <Field label="Retry delay (ms)"><input className={inputClass} inputMode="numeric" value={f.retryDelayMillis} onChange={set("retryDelayMillis")} /></Field>
        </div>
      )}
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Field label="Claim timeout (s)"><input className={inputClass} inputMode="decimal" value={f.claimTimeoutSeconds} onChange={set("claimTimeoutSeconds")} /></Field>
        <Field label="Keep succeeded (h)"><input className={inputClass} inputMode="decimal" value={f.succeededRetentionHours} onChange={set("succeededRetentionHours")} /></Field>
        <Field label="Keep failed (h)"><input className={inputClass} inputMode="decimal" value={f.failedRetentionHours} onChange={set("failedRetentionHours")} /></Field>
        <Field label="Rate limit (jobs/s)"><input className={inputClass} inputMode="decimal" value={f.rateLimit} onChange={set("rateLimit")} placeholder="unlimited" /></Field>
      </div>
      <ErrorText error={props.error} />
      <div className="flex justify-end gap-2">
        <Button onClick={props.onCancel}>Cancel</Button>
        <Button tone="primary" type="submit" disabled={props.busy}>{editing ? "Save settings" : "Create queue"}</Button>
      </div>
    </form>
  );
}
