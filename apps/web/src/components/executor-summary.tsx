import type { ExecutorConfig } from "@hourglass/engine";

export function ExecutorSummary({ executor }: { executor: ExecutorConfig | null }) {
  if (!executor) return <span className="text-slate-500">external</span>;
  const detail =
    executor.kind === "http" ? `${executor.method} ${executor.url}` : executor.kind === "shell" ? [executor.command, ...executor.args].join(" ")
    : executor.kind === "handler" ? executor.name : "";
  return (
    <span title={detail} className="inline-flex max-w-[18rem] items-baseline gap-1.5">
      <span className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs dark:bg-slate-800">{executor.kind}</span>
      {detail && <span className="truncate font-mono text-xs text-slate-500">{detail}</span>}
    </span>
  );
}
