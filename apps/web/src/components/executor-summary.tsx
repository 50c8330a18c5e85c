import type { ExecutorConfig } from "@hourglass/engine";

export function ExecutorSummary({ executor }: { executor: ExecutorConfig | null }) {
  if (!executor) return <span className="text-slate-500">external</span>;
  const detail =
    executor.kind === "http" ? `${executor.method} ${executor.url}` : executor.kind === "shell" ? [executor.command, ...executor.args].join(" ")
    : executor.kind === "handler" ? executor.name : "";
  return (
    // the detail wraps on a phone (no hover there to read a truncated one); from md up it is cut, whole on hover
    <span title={detail} className="inline-flex min-w-0 items-baseline gap-1.5 md:max-w-[18rem]">
      <span className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs dark:bg-slate-800">{executor.kind}</span>
      {detail && <span className="break-all font-mono text-xs text-slate-500 md:truncate md:break-normal">{detail}</span>}
    </span>
  );
}
