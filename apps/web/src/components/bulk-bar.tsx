"use client";
import { useState, type ReactNode } from "react";
import type { Selection } from "./selection";
import { Button, ErrorText, Field, inputClass, Modal } from "./ui";

/** What a bulk action is applied to: the selected ids, or every row the list's filter matches. */
export type BulkTarget = { kind: "ids"; ids: string[] } | { kind: "filter" };

/** One batch's answer, whatever the API's shape: how many it did, what it skipped, where the next batch starts. */
export interface BatchResult {
  done: number;
  skipped: { reason: string; count: number }[];
  /** Opaque: handed to the next batch; null when the target is exhausted. */
  next: unknown;
}

/** What the dialog asks before an action runs. */
export interface BulkParams {
  reason: string;
  /** Epoch millis, or undefined for "now". */
  runAfter?: number;
  attempts?: number;
}

/**
 * One bulk action of a list (queue jobs: retry, delete, requeue, cancel;
 * invocations: abort; requests: stop, suspend, resume; tasks — rerun, cancel —
 * plug in the same way once their list exists). `run` is one API call: a
 * chunk of ids, or one batch of the filter starting at `cursor`.
 */
export interface BulkActionDef {
  id: string;
  label: string;
  /** Past tense for the result: "retried". */
  done: string;
  tone?: "danger" | "primary";
  /** Set when the caller may not (the missing scope) or it makes no sense here (nothing failed). */
  disabledReason?: string;
  /** The dialog asks for a reason (required), or offers one (optional). */
  reason?: "required" | "optional";
  /** The dialog asks for a new runAfter and attempts (requeue). */
  schedule?: boolean;
  /** What it will do, for the confirmation. */
  describe: ReactNode;
  run: (target: BulkTarget, params: BulkParams, cursor: unknown) => Promise<BatchResult>;
}

interface Progress { done: number; skipped: Map<string, number>; batches: number; finished: boolean; error?: unknown }

/** A bounded count as shown: "10,000+" when the count stopped at its cap. */
const shown = (m: { count: number; capped: boolean }) => `${m.count.toLocaleString()}${m.capped ? "+" : ""}`;

/** The ids of a selection go in chunks of this many per call (the API's selection bound). */
const CHUNK = 100;

/**
 * The bar over a list with something selected: how many (the page, or "all
 * N matching" from a bounded count), the actions, and one dialog that
 * confirms, asks what the action needs, runs it in bounded batches with
 * progress, and ends with what was done and what was skipped and why.
 */
export function BulkBar<K extends string>(props: {
  selection: Selection<K>;
  /** Rows on this page. */
  pageSize: number;
  /** The bounded count of what the filter matches (null while loading, or when the list cannot act on a filter). */
  matching: { count: number; capped: boolean } | null;
  /** Why "all matching" is not offered (e.g. a filter without a request type). */
  noFilterReason?: string;
  noun: string;
  /** What "every row matching" means on this list, given the count shown (default: "all N <noun> matching this filter"). */
  allLabel?: (count: string) => string;
  actions: BulkActionDef[];
  onDone?: () => void;
}) {
  const { selection, matching } = props;
  const [open, setOpen] = useState<{ action: BulkActionDef; target: BulkTarget } | null>(null);
  if (selection.count === 0 && !selection.allMatching) return null;
  const matchingText = matching ? shown(matching) : "…";
  const all = props.allLabel ?? ((n: string) => `all ${n} ${props.noun} matching this filter`);
  const what = selection.allMatching
    ? all(matchingText)
    : `${selection.count} ${selection.count === 1 ? props.noun.replace(/s$/, "") : props.noun} selected`;
  const target: BulkTarget = selection.allMatching ? { kind: "filter" } : { kind: "ids", ids: [...selection.selected] };
  const more = matching !== null && !selection.allMatching && selection.pageSelected && matching.count > props.pageSize;
  return (
    <div role="region" aria-label="Bulk actions" data-testid="bulk-bar"
      className={"flex flex-wrap items-center gap-2 rounded-md border border-indigo-200 bg-indigo-50 px-3 py-2 text-sm "
        + "dark:border-indigo-900 dark:bg-indigo-950/40"}>
      <span data-testid="bulk-what" className="font-medium">{what}</span>
      {more && (
        <button type="button" className="text-indigo-700 hover:underline dark:text-indigo-300" onClick={selection.selectAllMatching}>
          Select {all(matchingText)}
        </button>
      )}
      {!selection.allMatching && selection.pageSelected && props.noFilterReason && (
        <span className="text-xs text-slate-500">{props.noFilterReason}</span>
      )}
      <button type="button" className="text-slate-500 hover:underline" onClick={selection.clear}>Clear</button>
      <div className="ml-auto flex flex-wrap gap-2">
        {props.actions.map((a) => (
          <Button key={a.id} tone={a.tone === "danger" ? "plain" : undefined} disabled={a.disabledReason !== undefined} title={a.disabledReason}
            onClick={() => setOpen({ action: a, target })}>
            {a.label}
          </Button>
        ))}
      </div>
      {open && (
        <BulkDialog action={open.action} target={open.target} what={what} total={open.target.kind === "ids" ? open.target.ids.length : matching}
          onClose={(ran) => {
            setOpen(null);
            if (ran) {
              selection.clear();
              props.onDone?.();
            }
          }} />
      )}
    </div>
  );
}

function BulkDialog(props: {
  action: BulkActionDef; target: BulkTarget; what: string; total: number | { count: number; capped: boolean } | null;
  onClose: (ran: boolean) => void;
}) {
  const { action, target } = props;
  const [reason, setReason] = useState("");
  const [delay, setDelay] = useState("0");
  const [attempts, setAttempts] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const total = typeof props.total === "number" ? props.total : props.total?.count ?? null;

  async function start() {
    const params: BulkParams = { reason: reason.trim() };
    if (action.reason === "required" && params.reason === "") return setProblem("Say why: the reason is recorded with your name.");
    if (action.schedule) {
      const seconds = Number(delay);
      if (!Number.isFinite(seconds) || seconds < 0) return setProblem("Run after is a number of seconds, 0 or more.");
      if (seconds > 0) params.runAfter = Date.now() + seconds * 1000;
      if (attempts.trim() !== "") {
        const n = Number(attempts);
        if (!Number.isInteger(n) || n < 1 || n > 1000) return setProblem("Attempts is a whole number from 1 to 1000.");
        params.attempts = n;
      }
    }
    setProblem(null);
    const p: Progress = { done: 0, skipped: new Map(), batches: 0, finished: false };
    const add = (r: BatchResult) => {
      p.done += r.done;
      p.batches += 1;
      for (const s of r.skipped) p.skipped.set(s.reason, (p.skipped.get(s.reason) ?? 0) + s.count);
      setProgress({ ...p, skipped: new Map(p.skipped) });
    };
    setProgress({ ...p });
    try {
      if (target.kind === "ids") {
        for (let i = 0; i < target.ids.length; i += CHUNK) {
          add(await action.run({ kind: "ids", ids: target.ids.slice(i, i + CHUNK) }, params, null));
        }
      } else {
        let cursor: unknown = null;
        do {
          const r = await action.run(target, params, cursor);
          add(r);
          cursor = r.next;
        } while (cursor !== null && cursor !== undefined);
      }
      setProgress({ ...p, skipped: new Map(p.skipped), finished: true });
    } catch (err) {
      setProgress({ ...p, skipped: new Map(p.skipped), finished: true, error: err });
    }
  }

  const running = progress !== null && !progress.finished;
  return (
    <Modal open title={`${action.label}: ${props.what}`} onClose={() => !running && props.onClose(progress !== null)}>
      <div className="space-y-4 text-sm" data-testid="bulk-dialog">
        {progress === null ? (
          <>
            <div>{action.describe}</div>
            {target.kind === "filter" && (
              <p data-testid="bulk-count">
                This filter matches {typeof props.total === "object" && props.total ? shown(props.total) : "…"} now;
                it is applied in batches, and what changes meanwhile is reported.
              </p>
            )}
            {action.reason && (
              <Field label={action.reason === "required" ? "Reason" : "Reason (optional)"} hint="Recorded in the event log with your name.">
                <input aria-label="Reason" className={inputClass} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
              </Field>
            )}
            {action.schedule && (
              <ScheduleFields delay={delay} setDelay={setDelay} attempts={attempts} setAttempts={setAttempts}
                attemptsHint="empty = each job's own, in full" />
            )}
            {problem && <p role="alert" className="text-rose-700 dark:text-rose-300">{problem}</p>}
            <div className="flex justify-end gap-2">
              <Button onClick={() => props.onClose(false)}>Cancel</Button>
              <Button tone={action.tone === "danger" ? "danger" : "primary"} onClick={() => void start()}>{action.label}</Button>
            </div>
          </>
        ) : (
          <>
            <p role="status" data-testid="bulk-progress">
              {progress.finished ? "Done: " : "Working: "}
              <strong data-testid="bulk-done">{progress.done.toLocaleString()}</strong> {action.done}
              {total !== null && target.kind === "filter" && !progress.finished ? ` of about ${total.toLocaleString()}` : ""}
              {` (${progress.batches} batch${progress.batches === 1 ? "" : "es"})`}
            </p>
            {progress.skipped.size > 0 && (
              <div data-testid="bulk-skipped">
                <p className="font-medium">Skipped:</p>
                <ul className="list-disc pl-5">
                  {[...progress.skipped].map(([why, n]) => <li key={why}>{n.toLocaleString()} — {why}</li>)}
                </ul>
              </div>
            )}
            <ErrorText error={progress.error} />
            <div className="flex justify-end">
              <Button disabled={running} onClick={() => props.onClose(true)}>Close</Button>
            </div>
          </>
        )}
      </div>
    </Modal>
  );
}

/** A requeue's new runAfter (seconds from now) and attempts, as the bulk dialog and the job page ask them. */
export function ScheduleFields(props: {
  delay: string; setDelay: (v: string) => void; attempts: string; setAttempts: (v: string) => void; attemptsHint?: string;
}) {
  return (
    <div className="grid grid-cols-2 gap-3">
      <Field label="Run after (seconds from now)" hint="0 = due now">
        <input aria-label="Run after (seconds from now)" className={inputClass} inputMode="numeric" value={props.delay}
          onChange={(e) => props.setDelay(e.target.value)} />
      </Field>
      <Field label="Attempts allowed" hint={props.attemptsHint}>
        <input aria-label="Attempts allowed" className={inputClass} inputMode="numeric" value={props.attempts}
          onChange={(e) => props.setAttempts(e.target.value)} />
      </Field>
    </div>
  );
}
