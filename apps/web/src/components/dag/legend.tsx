import { CRITICAL, type StateLook } from "./looks";

/** What the graph's fills, icons and borders mean, and how the critical path is drawn. */
export function GraphLegend({ looks, critical }: { looks: Record<string, StateLook>; critical: boolean }) {
  return (
    <ul data-testid="graph-legend" aria-label="Legend" className="mb-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600 dark:text-slate-300">
      {Object.entries(looks).map(([state, look]) => (
        <li key={state} data-legend={state} className="flex items-center gap-1.5">
          <span aria-hidden className="inline-flex h-4 w-6 items-center justify-center rounded-sm text-[10px] text-slate-900"
            style={{ background: look.fill, border: `${look.border === "double" ? 3 : 1.5}px ${look.border} #64748b` }}>{look.icon}</span>
          {look.label}
        </li>
      ))}
      {critical && (
        <li data-legend="critical" className="flex items-center gap-1.5">
          <span aria-hidden className="inline-block h-0.5 w-6" style={{ background: CRITICAL, height: 3 }} />
          critical path (longest by duration)
        </li>
      )}
      <li className="text-slate-500">Click a sequence&apos;s box to focus on it; drag or scroll to pan.</li>
    </ul>
  );
}
