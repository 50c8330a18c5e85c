import type { InvocationSummary } from "@hourglass/engine";

const COLOR: Record<string, string> = { SUCCEEDED: "#10b981", FAILED: "#f43f5e", ABORTED: "#94a3b8", RUNNING: "#f59e0b", STARTING: "#f59e0b", RETRYING: "#fb923c" };

/**
 * Recent invocations as bars: height = duration, colour = outcome, oldest on
 * the left. Small inline SVG: one series, no axes library needed.
 */
export function InvocationChart({ invocations, now }: { invocations: InvocationSummary[]; now: number }) {
  const items = [...invocations].reverse().map((i) => ({ ...i, ms: (i.finishedTimestampMillis ?? now) - i.startedTimestampMillis }));
  if (items.length === 0) return <p className="text-sm text-slate-500">No invocations yet.</p>;
  const max = Math.max(...items.map((i) => i.ms), 1);
  const w = 12, gap = 4, h = 80;
  return (
    <figure>
      <svg role="img" aria-label="Recent invocations: duration and outcome" width={items.length * (w + gap)} height={h} className="max-w-full">
        {items.map((i, k) => {
          const bh = Math.max(3, Math.round((i.ms / max) * (h - 4)));
          return (
            <rect key={i.id} x={k * (w + gap)} y={h - bh} width={w} height={bh} rx={2} fill={COLOR[i.state] ?? "#64748b"}>
              <title>{`#${i.id} ${i.state} · ${(i.ms / 1000).toFixed(1)} s · ${new Date(i.startedTimestampMillis).toLocaleString()}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption className="mt-1 text-xs text-slate-500">Last {items.length} invocations, oldest first; bar height is duration (longest {(max / 1000).toFixed(1)} s).</figcaption>
    </figure>
  );
}
