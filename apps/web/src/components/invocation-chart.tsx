"use client";
import type { InvocationSummary } from "@hourglass/engine";
import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatAbsolute } from "@/lib/time-format";
import { useTimeZone } from "@/lib/time-zone";
import { Time } from "./time";

const COLOR: Record<string, string> = { SUCCEEDED: "#10b981", FAILED: "#f43f5e", ABORTED: "#94a3b8", RUNNING: "#f59e0b", STARTING: "#f59e0b", RETRYING: "#fb923c" };

interface Point { id: string; state: string; seconds: number; started: number; label: string }

/**
 * Recent invocations over time (recharts): one bar per invocation, oldest on
 * the left, height its duration (so far, while it runs), colour its outcome;
 * hover for details, click to open it.
 */
export function InvocationChart({ invocations, now, job }: { invocations: InvocationSummary[]; now: number; job: string }) {
  const router = useRouter();
  const { zone } = useTimeZone();
  const data: Point[] = [...invocations].sort((a, b) => a.startedTimestampMillis - b.startedTimestampMillis || Number(a.id) - Number(b.id)).map((i) => ({
    id: i.id, state: i.state, started: i.startedTimestampMillis,
    seconds: Math.max(0, ((i.finishedTimestampMillis ?? now) - i.startedTimestampMillis) / 1000),
    label: formatAbsolute(i.startedTimestampMillis, zone, { zone: false }).slice(11),
  }));
  if (data.length === 0) return <p className="text-sm text-slate-500">No invocations yet.</p>;
  const counts = Object.entries(data.reduce<Record<string, number>>((acc, p) => ({ ...acc, [p.state]: (acc[p.state] ?? 0) + 1 }), {}));
  return (
    <figure data-testid="invocation-chart" aria-label="Recent invocations: duration and outcome over time">
      <div className="h-40 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 4, right: 4, bottom: 0, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#cbd5e1" strokeOpacity={0.5} />
            <XAxis dataKey="label" tick={{ fontSize: 10 }} minTickGap={24} />
            <YAxis tick={{ fontSize: 10 }} unit="s" allowDecimals />
            <Tooltip cursor={{ fill: "rgba(99,102,241,0.08)" }} content={<PointTooltip />} />
            <Bar dataKey="seconds" isAnimationActive={false} cursor="pointer" minPointSize={2}
              onClick={(entry) => router.push(`/jobs/${job}/${(entry as unknown as { payload: Point }).payload.id}`)}>
              {data.map((p) => <Cell key={p.id} fill={COLOR[p.state] ?? "#64748b"} />)}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="mt-1 flex flex-wrap gap-3 text-xs text-slate-500">
        <span>Last {data.length}, oldest first; height is duration.</span>
        {counts.map(([state, n]) => (
          <span key={state} className="inline-flex items-center gap-1"><span className="inline-block h-2 w-2 rounded-sm" style={{ background: COLOR[state] ?? "#64748b" }} />{state} {n}</span>
        ))}
      </figcaption>
    </figure>
  );
}

function PointTooltip({ active, payload }: { active?: boolean; payload?: { payload: Point }[] }) {
  const p = active ? payload?.[0]?.payload : undefined;
  if (!p) return null;
  return (
    <div className="rounded border border-slate-200 bg-white px-2 py-1 text-xs shadow dark:border-slate-700 dark:bg-slate-900">
      <div className="font-semibold">Invocation {p.id}: {p.state}</div>
      <div>{p.seconds < 1 ? `${Math.round(p.seconds * 1000)} ms` : `${p.seconds.toFixed(1)} s`} · started <Time ms={p.started} /></div>
    </div>
  );
}
