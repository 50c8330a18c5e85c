"use client";
import { formatAbsolute } from "@/lib/time-format";

type Upcoming = { timezone: string; runs: { slotAt: number; runAt: number }[] } | null;
/** The parts of a job's definition these options live in (catalog.ts JobDefinition). */
type Definition = { schedule: { kind: string; jitterMillis?: number; catchUpMillis?: number }; pauseAfterFailures?: number };

const duration = (ms: number) => (ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`);

/**
 * The next 10 runs of a cron schedule in its own zone (getJob's `upcoming`):
 * the wall clock the schedule is written in, with the jitter a run starts
 * after its slot when the job has one; and the job's schedule options
 * (jitter, catch-up window, pause on failure) in words.
 */
export function NextRuns({ upcoming, definition }: { upcoming: Upcoming; definition?: Definition }) {
  const s = definition?.schedule;
  const options = [
    s?.jitterMillis && `jitter up to ${duration(s.jitterMillis)}`,
    s?.catchUpMillis && `after downtime, slots missed in the last ${duration(s.catchUpMillis)} run`,
    definition?.pauseAfterFailures && `pauses itself after ${definition.pauseAfterFailures} failed invocations in a row`,
  ].filter(Boolean);
  return (
    <div>
      {options.length > 0 && <p data-testid="schedule-options" className="mb-2 text-sm">{options.join(" · ")}</p>}
      {!upcoming ? <p className="text-sm text-slate-500">Not a cron schedule: no slots to preview.</p> : (
        <>
          <p className="mb-1 text-xs text-slate-500">Next {upcoming.runs.length} runs in {upcoming.timezone}</p>
          <ol data-testid="next-runs" className="space-y-0.5 font-mono text-xs tabular-nums">
            {upcoming.runs.map((r) => (
              <li key={r.slotAt} data-slot={new Date(r.slotAt).toISOString()}>
                {formatAbsolute(r.runAt, upcoming.timezone)}
                {r.runAt !== r.slotAt && (
                  <span className="ml-2 text-slate-500">
                    slot {formatAbsolute(r.slotAt, upcoming.timezone, { zone: false })} + {((r.runAt - r.slotAt) / 1000).toFixed(1)} s jitter
                  </span>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
