"use client";
import {
  ALERT_KIND_DOC, ALERT_KINDS, ALERT_TARGET, MIN_SECRET_LENGTH, type AlertRuleInfo, type RuleDefinition,
} from "@hourglass/engine/alerts";
import { useState, type FormEvent } from "react";
import { AlertFormError, formFromRule, ruleFromForm, type AlertFormState } from "@/lib/alert-form";
import { Button, ErrorText, Field, inputClass } from "../ui";

const KIND_LABEL: Record<(typeof ALERT_KINDS)[number], string> = {
  invocation_failed: "Job invocation failed",
  job_recovered: "Job recovered",
  schedule_late: "Schedule slot missed or late",
  queue_backlog: "Queue backlog over a limit",
  queue_oldest_pending: "Queue's oldest pending job too old",
  request_failed: "Request failed",
};

const TARGET_LABEL = { job: "Job", queue: "Queue", "request type": "Request type" } as const;

/**
 * Create an alert rule or edit one: what it watches (kind, target, the kind's
 * limit), where it notifies (a signed webhook, or email), and its collapse
 * window. Secrets are write-only: on an edit their fields start empty, and
 * left empty they keep the stored value.
 */
export function RuleForm(props: {
  rule?: AlertRuleInfo;
  busy: boolean;
  error: unknown;
  onSubmit: (rule: RuleDefinition) => void;
  onCancel: () => void;
}) {
  const [f, setF] = useState<AlertFormState>(() => formFromRule(props.rule));
  const [formError, setFormError] = useState<string | null>(null);
  const editing = props.rule !== undefined;
  const set = <K extends keyof AlertFormState>(k: K) => (e: { target: { value: string; checked?: boolean } }) =>
    setF({ ...f, [k]: typeof f[k] === "boolean" ? e.target.checked : e.target.value });
  const target = ALERT_TARGET[f.kind];
  const stored = props.rule?.channel;
  const secretSet = stored?.kind === "webhook" && stored.secret !== undefined;
  const passwordSet = stored?.kind === "email" && stored.smtp?.password !== undefined;

  function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    try {
      props.onSubmit(ruleFromForm(f, editing));
    } catch (err) {
      if (!(err instanceof AlertFormError)) throw err;
      setFormError(err.message);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Alert rule">
      <Field label="Name">
        <input className={inputClass} value={f.name} onChange={set("name")} required autoFocus />
      </Field>
      <div className="grid grid-cols-2 gap-3">
        <Field label="When" hint={ALERT_KIND_DOC[f.kind]}>
          <select className={inputClass} value={f.kind} onChange={set("kind")}>
            {ALERT_KINDS.map((k) => <option key={k} value={k}>{KIND_LABEL[k]}</option>)}
          </select>
        </Field>
        <Field label={TARGET_LABEL[target]} hint={`Empty = every ${target} of the project.`}>
          <input className={inputClass} value={f.target} onChange={set("target")} placeholder={`every ${target}`} />
        </Field>
      </div>
      {f.kind === "schedule_late" && (
        <Field label="Late by more than (s)" hint="A missed slot (passed over by a catch-up) always fires.">
          <input className={inputClass} inputMode="numeric" value={f.lateSeconds} onChange={set("lateSeconds")} />
        </Field>
      )}
      {f.kind === "queue_backlog" && (
        <Field label="Backlog over (due pending jobs)">
          <input className={inputClass} inputMode="numeric" value={f.backlog} onChange={set("backlog")} />
        </Field>
      )}
      {f.kind === "queue_oldest_pending" && (
        <Field label="Oldest pending job older than (s)">
          <input className={inputClass} inputMode="numeric" value={f.oldestPendingSeconds} onChange={set("oldestPendingSeconds")} />
        </Field>
      )}

      <fieldset className="space-y-3 rounded-md border border-slate-200 p-3 dark:border-slate-700">
        <legend className="px-1 text-sm font-medium">Notify</legend>
        <div className="flex gap-4 text-sm">
          {(["webhook", "email"] as const).map((c) => (
            <label key={c} className="flex items-center gap-1.5">
              <input type="radio" name="channel" value={c} checked={f.channel === c} onChange={() => setF({ ...f, channel: c })} />
              {c === "webhook" ? "Webhook" : "Email"}
            </label>
          ))}
        </div>
        {f.channel === "webhook" ? (
          <>
            <Field label="Webhook URL" hint="POSTed a JSON body; any 2xx is delivered, anything else is retried with backoff.">
              <input className={inputClass} value={f.url} onChange={set("url")} placeholder="https://hooks.example.com/hourglass" />
            </Field>
            <Field label="Signing secret"
              hint={`X-Hourglass-Signature: sha256=<HMAC-SHA256 of the body with it>. At least ${MIN_SECRET_LENGTH} characters; `
                + `never shown again.${secretSet ? " Leave empty to keep the stored one." : ""}`}>
              <input className={inputClass} type="password" autoComplete="new-password" value={f.secret} onChange={set("secret")}
                placeholder={secretSet ? "(set: leave empty to keep)" : ""} />
            </Field>
          </>
        ) : (
          <>
            <Field label="Recipients" hint="Email addresses, separated by commas.">
              <input className={inputClass} value={f.to} onChange={set("to")} placeholder="oncall@example.com" />
            </Field>
            <Field label="From" hint="Empty = the workers' HOURGLASS_ALERT_FROM.">
              <input className={inputClass} value={f.from} onChange={set("from")} />
            </Field>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={f.ownSmtp} onChange={set("ownSmtp")} />
              Its own SMTP server (otherwise the workers&apos; HOURGLASS_SMTP_URL)
            </label>
            {f.ownSmtp && (
              <div className="grid grid-cols-2 gap-3">
                <Field label="SMTP host"><input className={inputClass} value={f.smtpHost} onChange={set("smtpHost")} /></Field>
                <Field label="SMTP port">
                  <input className={inputClass} inputMode="numeric" value={f.smtpPort} onChange={set("smtpPort")} />
                </Field>
                <Field label="SMTP username"><input className={inputClass} value={f.smtpUsername} onChange={set("smtpUsername")} /></Field>
                <Field label="SMTP password" hint={passwordSet ? "Leave empty to keep the stored one." : undefined}>
                  <input className={inputClass} type="password" autoComplete="new-password" value={f.smtpPassword} onChange={set("smtpPassword")}
                    placeholder={passwordSet ? "(set: leave empty to keep)" : ""} />
                </Field>
                <label className="col-span-2 flex items-center gap-2 text-sm">
                  <input type="checkbox" checked={f.smtpSecure} onChange={set("smtpSecure")} /> TLS from the start (port 465)
                </label>
              </div>
            )}
          </>
        )}
      </fieldset>

      <div className="grid grid-cols-2 gap-3">
        <Field label="Collapse window (min)"
          hint="Firings within this long of the first are sent as one notification that says how many. 0 = each alone.">
          <input className={inputClass} inputMode="decimal" value={f.windowMinutes} onChange={set("windowMinutes")} />
        </Field>
        <label className="flex items-center gap-2 self-center text-sm">
          <input type="checkbox" checked={f.enabled} onChange={set("enabled")} /> Enabled
        </label>
      </div>
      <ErrorText error={formError ?? props.error} />
      <div className="flex justify-end gap-2">
        <Button onClick={props.onCancel}>Cancel</Button>
        <Button tone="primary" type="submit" disabled={props.busy}>{editing ? "Save rule" : "Create rule"}</Button>
      </div>
    </form>
  );
}
