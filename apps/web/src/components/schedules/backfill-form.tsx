"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { BACKFILL_OVERLAP_DOC, BACKFILL_OVERLAPS, type BackfillOverlap } from "@hourglass/engine/states";
import { useCan } from "@/lib/can";
import { need } from "@/lib/permissions";
import { formatAbsolute, fromWallClockInput, toWallClockInput } from "@/lib/time-format";
import { useTimeZone } from "@/lib/time-zone";
import { useTRPC } from "@/lib/trpc";
import { Button, ErrorText, Field, inputClass, Modal } from "../ui";

const OVERLAP_LABEL: Record<BackfillOverlap, string> = {
  SEQUENTIAL: "One after another", CONCURRENT: "All at once", SKIP: "Skip slots that already ran",
};
const PRESETS = [["Last hour", 3_600_000], ["Last 24 h", 86_400_000], ["Last 7 d", 7 * 86_400_000]] as const;

type Job = { job: string; project: string; id: string; state: string; paused: unknown; upcoming: unknown };

/**
 * "Backfill": run the job for every cron slot of a past range. The form asks
 * for the range (in the viewer's zone) and the overlap choice, then checks it
 * (a dry run: how many slots, how many skipped) and asks to confirm before
 * anything starts. Needs scheduler:trigger, like Trigger.
 */
export function BackfillButton({ job }: { job: Job }) {
  const trpc = useTRPC();
  const can = useCan();
  const { zone } = useTimeZone();
  const queryClient = useQueryClient();
  const cannot = can.missing(need.schedulerJob("trigger", job));
  const [open, setOpen] = useState(false);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [overlap, setOverlap] = useState<BackfillOverlap>("SEQUENTIAL");
  const [reason, setReason] = useState("");
  const check = useMutation(trpc.scheduler.backfill.mutationOptions());
  const run = useMutation(trpc.scheduler.backfill.mutationOptions({
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: trpc.scheduler.pathKey() });
      setOpen(false);
    },
  }));
  const preset = (ms: number) => {
    const now = Date.now();
    setFrom(toWallClockInput(now - ms, zone));
    setTo(toWallClockInput(now, zone));
    check.reset();
  };
  const input = () => {
    const f = fromWallClockInput(from, zone);
    const t = fromWallClockInput(to, zone);
    return f === undefined || t === undefined ? null
      : { job: job.job, fromTimestampMillis: f, toTimestampMillis: Math.min(t, Date.now()), overlap, reason };
  };
  const plan = check.data;
  const disabledWhy = cannot ?? (job.state === "DISABLED" ? "the job is disabled" : job.paused ? "the job is paused"
    : job.upcoming === null ? "only cron schedules have slots to backfill" : undefined);
  return (
    <>
      <Button onClick={() => (check.reset(), run.reset(), preset(3_600_000), setOpen(true))} disabled={disabledWhy !== undefined} title={disabledWhy}>
        Backfill
      </Button>
      <Modal open={open} title={`Backfill ${job.job}`} onClose={() => setOpen(false)}>
        <form className="space-y-4" onSubmit={(e) => {
          e.preventDefault();
          const i = input();
          if (i) check.mutate({ ...i, dryRun: true });
        }}>
          <p className="text-sm">Runs the job once for every slot of its schedule in a past range, each slot its own invocation.</p>
          <div className="flex flex-wrap gap-2">
            {PRESETS.map(([label, ms]) => <Button key={label} onClick={() => preset(ms)}>{label}</Button>)}
          </div>
          <div className="grid grid-cols-2 gap-3">
            <Field label="From" hint={`in ${zone}; slots at or after it`}>
              <input type="datetime-local" className={inputClass} value={from} onChange={(e) => (setFrom(e.target.value), check.reset())} />
            </Field>
            <Field label="To" hint="slots before it (at most now)">
              <input type="datetime-local" className={inputClass} value={to} onChange={(e) => (setTo(e.target.value), check.reset())} />
            </Field>
          </div>
          <fieldset className="space-y-1 text-sm">
            <legend className="mb-1 font-medium">Overlap</legend>
            {BACKFILL_OVERLAPS.map((o) => (
              <label key={o} className="flex items-start gap-2">
                <input type="radio" name="overlap" value={o} checked={overlap === o} onChange={() => (setOverlap(o), check.reset())} className="mt-1" />
                <span><b>{OVERLAP_LABEL[o]}</b> <span className="text-slate-500">— {BACKFILL_OVERLAP_DOC[o]}</span></span>
              </label>
            ))}
          </fieldset>
          <Field label="Reason (optional)"><input className={inputClass} value={reason} onChange={(e) => setReason(e.target.value)} /></Field>
          {!input() && <p role="alert" className="text-sm text-rose-700 dark:text-rose-300">Give both times.</p>}
          <ErrorText error={check.error ?? run.error} />
          {plan && (
            <p data-testid="backfill-plan" className="rounded-md bg-slate-100 p-3 text-sm dark:bg-slate-800">
              {plan.slots} slot(s) from {formatAbsolute(plan.firstSlotTimestampMillis, zone)} to {formatAbsolute(plan.lastSlotTimestampMillis, zone)}
              {plan.skipped > 0 && <>, {plan.skipped} skipped (already ran)</>}: {plan.slots - plan.skipped} invocation(s), {OVERLAP_LABEL[overlap].toLowerCase()}.
            </p>
          )}
          <div className="flex justify-end gap-2">
            <Button onClick={() => setOpen(false)}>Cancel</Button>
            {plan ? (
              <Button tone="primary" disabled={run.isPending || plan.slots === plan.skipped} onClick={() => {
                const i = input();
                if (i) run.mutate({ ...i, dryRun: false });
              }}>
                Run {plan.slots - plan.skipped} invocation(s)
              </Button>
            ) : (
              <Button tone="primary" type="submit" disabled={check.isPending || !input()}>Check</Button>
            )}
          </div>
        </form>
      </Modal>
    </>
  );
}
