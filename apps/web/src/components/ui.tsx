"use client";
import { useEffect, useRef, useState, type ButtonHTMLAttributes, type ReactNode } from "react";
import { relativeTime } from "@/lib/format";

export { relativeTime };
export { Time } from "./time";

export { formatCount, formatMillis } from "@/lib/format";

type Tone = "primary" | "danger" | "plain";
// a disabled button keeps its colours faded and does not react to hover, so it never looks clickable
const TONES: Record<Tone, string> = {
  primary: "bg-indigo-600 text-white hover:bg-indigo-500 disabled:hover:bg-indigo-600",
  danger: "bg-rose-600 text-white hover:bg-rose-500 disabled:hover:bg-rose-600",
  plain: "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50 disabled:hover:bg-white dark:border-slate-700 dark:bg-slate-900 "
    + "dark:text-slate-100 dark:hover:bg-slate-800 dark:disabled:hover:bg-slate-900",
};

/**
 * A button. Disabled, it is faded with a not-allowed cursor; disabled with a
 * `title` (why: e.g. the scope the caller lacks), a tap or click on it shows
 * the reason on screen, so the reason does not depend on hover (phones have none).
 */
export function Button({ tone = "plain", className = "", ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { tone?: Tone }) {
  const [why, setWhy] = useState(false);
  const look = `inline-flex items-center justify-center rounded-md px-3 py-1.5 text-sm font-medium shadow-sm transition `
    + `disabled:cursor-not-allowed disabled:opacity-50 disabled:shadow-none ${TONES[tone]} ${className}`;
  if (!props.disabled || !props.title) return <button type="button" {...props} className={look} />;
  // a disabled button gets no clicks: its wrapper takes them (the button lets them through)
  return (
    <span className="relative inline-flex cursor-not-allowed" title={props.title} onClick={() => setWhy(!why)}>
      <button type="button" {...props} className={`${look} pointer-events-none`} />
      {why && (
        <span role="note" data-disabled-reason
          className="absolute left-0 top-full z-20 mt-1 w-max max-w-[16rem] rounded bg-slate-900 px-2 py-1 text-xs font-normal text-white shadow">
          {props.title}
        </span>
      )}
    </span>
  );
}

const STATE_COLORS: Record<string, string> = {
  PENDING: "bg-sky-100 text-sky-800 dark:bg-sky-900/50 dark:text-sky-200",
  IN_PROGRESS: "bg-amber-100 text-amber-800 dark:bg-amber-900/50 dark:text-amber-200",
  SUCCEEDED: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-200",
  FAILED: "bg-rose-100 text-rose-800 dark:bg-rose-900/50 dark:text-rose-200",
  PAUSED: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100",
  // scheduler job and invocation states
  RUNNING: "bg-amber-100 text-amber-800 dark:bg-amber-900/50 dark:text-amber-200",
  STARTING: "bg-amber-100 text-amber-800 dark:bg-amber-900/50 dark:text-amber-200",
  RETRYING: "bg-orange-100 text-orange-800 dark:bg-orange-900/50 dark:text-orange-200",
  SCHEDULED: "bg-sky-100 text-sky-800 dark:bg-sky-900/50 dark:text-sky-200",
  WAITING: "bg-indigo-100 text-indigo-800 dark:bg-indigo-900/50 dark:text-indigo-200",
  DISABLED: "bg-slate-100 text-slate-500 dark:bg-slate-800 dark:text-slate-400",
  ABORTED: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100",
  // request and chain job states
  COMPLETE: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-200",
  FAIL: "bg-rose-100 text-rose-800 dark:bg-rose-900/50 dark:text-rose-200",
  STOPPED: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100",
  SUSPENDED: "bg-violet-100 text-violet-800 dark:bg-violet-900/50 dark:text-violet-200",
};

export function Badge({ state, children }: { state: string; children?: ReactNode }) {
  return (
    <span data-state={state} className={`inline-flex rounded-full px-2 py-0.5 text-xs font-semibold ${STATE_COLORS[state] ?? STATE_COLORS.PAUSED}`}>
      {children ?? state}
    </span>
  );
}

export function Card({ title, children, actions }: { title?: ReactNode; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      {(title || actions) && (
        <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
          {title && <h2 className="text-sm font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">{title}</h2>}
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}

export function ErrorText({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800 dark:bg-rose-950 dark:text-rose-200">
      {error instanceof Error ? error.message : String(error)}
    </p>
  );
}

/** A modal dialog (native <dialog>: focus trap and Esc for free). */
export function Modal({ open, title, onClose, children }: { open: boolean; title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-label={title}
      className="m-auto w-[min(36rem,calc(100vw-2rem))] rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      {open && (
        <div className="p-5">
          <h2 className="mb-4 text-lg font-semibold">{title}</h2>
          {children}
        </div>
      )}
    </dialog>
  );
}

/** A button that asks before it acts. */
export function ConfirmButton(props: {
  label: string;
  title: string;
  message: ReactNode;
  confirmLabel?: string;
  tone?: Tone;
  busy?: boolean;
  error?: unknown;
  open: boolean;
  setOpen: (open: boolean) => void;
  onConfirm: () => void;
  /** When set, the button is disabled and says why on hover (e.g. the scope the caller lacks). */
  disabledReason?: string;
}) {
  return (
    <>
      <Button tone={props.tone === "danger" ? "plain" : props.tone} onClick={() => props.setOpen(true)}
        disabled={props.disabledReason !== undefined} title={props.disabledReason}>
        {props.label}
      </Button>
      <ConfirmDialog open={props.open} title={props.title} message={props.message} confirmLabel={props.confirmLabel} tone={props.tone}
        busy={props.busy} error={props.error} onClose={() => props.setOpen(false)} onConfirm={props.onConfirm} />
    </>
  );
}

/** The question ConfirmButton asks, for a caller with buttons of its own (one dialog shared by a table's rows). */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  message: ReactNode;
  confirmLabel?: string;
  tone?: Tone;
  busy?: boolean;
  error?: unknown;
  onClose: () => void;
  onConfirm: () => void;
}) {
  return (
    <Modal open={props.open} title={props.title} onClose={props.onClose}>
      <div className="space-y-4 text-sm">
        <div>{props.message}</div>
        <ErrorText error={props.error} />
        <div className="flex justify-end gap-2">
          <Button onClick={props.onClose}>Cancel</Button>
          <Button tone={props.tone ?? "primary"} disabled={props.busy} onClick={props.onConfirm}>
            {props.confirmLabel ?? "Confirm"}
          </Button>
        </div>
      </div>
    </Modal>
  );
}

export function Field({ label, hint, children }: { label: string; hint?: string; children: ReactNode }) {
  return (
    <label className="block text-sm">
      <span className="mb-1 block font-medium">{label}</span>
      {children}
      {hint && <span className="mt-1 block text-xs text-slate-500 dark:text-slate-400">{hint}</span>}
    </label>
  );
}

/** Form control look; full width unless a caller adds a width of its own (see controlClass). */
export const controlClass =
  "rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500 dark:border-slate-700 dark:bg-slate-950";
export const inputClass = `w-full ${controlClass}`;

/** A captured output stream (stdout, stderr, a response body), labelled; nothing when empty. */
export function Output({ label, text }: { label: string; text: string }) {
  if (!text) return null;
  return (
    <div className="mt-2">
      <div className="text-xs uppercase tracking-wide text-slate-500">{label}</div>
      <pre data-output={label}
        className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-900 p-2 font-mono text-xs text-slate-100">
        {text}
      </pre>
    </div>
  );
}
