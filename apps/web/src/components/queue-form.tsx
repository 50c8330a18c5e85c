"use client";
import type { QueueInfo } from "@hourglass/engine";
import { useState, type FormEvent } from "react";
import { FormError, formFromQueue, hiddenSettings, type QueueFormState } from "@/lib/queue-settings";
import { Button, ErrorText, Field, inputClass } from "./ui";

/**
 * Create a queue or edit its settings; the server validates and its messages
 * are shown as they are. `onSubmit` turns the fields into a call (createInput
 * or settingsPatch) and may throw a FormError, shown here.
 */
export function QueueForm(props: { queue?: QueueInfo; busy: boolean; error: unknown; onSubmit: (f: QueueFormState) => void; onCancel: () => void }) {
  const [f, setF] = useState(() => formFromQueue(props.queue));
  const [formError, setFormError] = useState<string | null>(null);
  const set = (k: keyof QueueFormState) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const editing = props.queue !== undefined;
  const kept = editing && f.kind === props.queue!.executor?.kind ? hiddenSettings(props.queue!.executor) : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    try {
      props.onSubmit(f);
    } catch (err) {
      if (!(err instanceof FormError)) throw err;
      setFormError(err.message);
    }
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
      {kept && (
        <p data-testid="kept-settings" className="text-xs text-slate-500">
          Kept as they are: {kept}. This form does not show them; saving changes only the fields you edit
          (the API&apos;s updateQueue can change them).
        </p>
      )}
      <ErrorText error={formError ?? props.error} />
      <div className="flex justify-end gap-2">
        <Button onClick={props.onCancel}>Cancel</Button>
        <Button tone="primary" type="submit" disabled={props.busy}>{editing ? "Save settings" : "Create queue"}</Button>
      </div>
    </form>
  );
}
