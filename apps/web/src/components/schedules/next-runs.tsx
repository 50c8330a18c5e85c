"use client";
import { formatAbsolute } from "@/lib/time-format";

/**
 * The next 10 runs of a cron schedule in its own zone (getJob's `upcoming`):
 * the wall clock the schedule is written in, with the jitter a run starts
 * after its slot when the job has one.
 */
export function NextRuns({ upcoming }: { upcoming: { timezone: string; runs: { slotAt: number; runAt: number }[] } | null }) {
  if (!upcoming) return <p className="text-sm text-slate-500">Not a cron schedule: no slots to preview.</p>;
  return (
    <div>
      <p className="mb-1 text-xs text-slate-500">Next {upcoming.runs.length} runs in {upcoming.timezone}</p>
      <ol data-testid="next-runs" className="space-y-0.5 font-mono text-xs tabular-nums">
        {upcoming.runs.map((r) => (
          <li key={r.slotAt} data-slot={new Date(r.slotAt).toISOString()}>
            {formatAbsolute(r.runAt, upcoming.timezone)}
            {r.runAt !== r.slotAt && (
              <span className="ml-2 text-slate-500">slot {formatAbsolute(r.slotAt, upcoming.timezone, { zone: false })} + {((r.runAt - r.slotAt) / 1000).toFixed(1)} s jitter</span>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
