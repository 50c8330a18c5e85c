"use client";
import { RANGE_LABELS, RANGES, type Range, type TimeRange } from "@/lib/time-range";
import { useTimeZone } from "@/lib/time-zone";
import { controlClass } from "./ui";

/**
 * A list's time filter: last hour / 24 h / 7 d / any time / custom; a custom
 * range's ends are typed as wall-clock times in the viewer's chosen zone
 * (named beside them). `label` says which time it filters by.
 */
export function TimeRangeFilter({ value, onChange, label = "Time", problem }: {
  value: TimeRange;
  onChange: (patch: Partial<TimeRange>) => void;
  label?: string;
  problem?: string;
}) {
  const { zone } = useTimeZone();
  return (
    <div className="flex flex-wrap items-end gap-2 text-sm" role="group" aria-label={`${label} range`}>
      <label className="flex flex-col gap-1">
        {label}
        <select aria-label="Time range" className={controlClass} value={value.range}
          onChange={(e) => onChange({ range: e.target.value as Range })}>
          {RANGES.map((r) => <option key={r} value={r}>{RANGE_LABELS[r]}</option>)}
        </select>
      </label>
      {value.range === "custom" && (
        <>
          <label className="flex flex-col gap-1">
            From
            <input aria-label="From" type="datetime-local" className={controlClass} value={value.from}
              onChange={(e) => onChange({ from: e.target.value })} />
          </label>
          <label className="flex flex-col gap-1">
            To
            <input aria-label="To" type="datetime-local" className={controlClass} value={value.to}
              onChange={(e) => onChange({ to: e.target.value })} />
          </label>
          <span className="pb-2 text-xs text-slate-500" data-testid="range-zone">in {zone}</span>
        </>
      )}
      {problem && <span role="alert" className="pb-2 text-xs text-rose-700 dark:text-rose-300">{problem}</span>}
    </div>
  );
}
