"use client";
import type { ReactNode } from "react";
import type { TaskRun } from "@hourglass/engine";
import { Badge, Card, Output, Time } from "./ui";

/** An invocation's task as getInvocation returns it (an executor config, or a request type and args). */
type Task = { kind: string } & Record<string, unknown>;

const OUTCOME_STATE: Record<string, string> = { SUCCEEDED: "SUCCEEDED", FAILED: "FAILED", ABORTED: "ABORTED", INTERRUPTED: "RETRYING" };

/** Names only: header and env values may be secrets. */
const names = (v: unknown) => Object.keys((v ?? {}) as Record<string, string>).join(", ") || "—";

function TaskConfig({ task }: { task: Task }) {
  const items: [string, ReactNode][] = [["Executor", <code key="k">{task.kind}</code>]];
  if (task.kind === "shell") {
    items.push(["Command", <code key="c" className="break-all">{[task.command, ...((task.args as string[]) ?? [])].join(" ")}</code>]);
    items.push(["Environment", names(task.env)], ["Timeout", `${Number(task.timeoutMillis) / 1000} s`]);
    if (task.cwd) items.push(["Directory", <code key="d">{String(task.cwd)}</code>]);
  } else if (task.kind === "http") {
    items.push(["Request", <code key="r" className="break-all">{`${task.method} ${task.url}`}</code>]);
    items.push(["Headers", names(task.headers)], ["Body", task.body === undefined ? "the invocation (JSON)" : "set in the config"]);
    items.push(["Timeout", `${Number(task.timeoutMillis) / 1000} s`]);
  } else if (task.kind === "handler") {
    items.push(["Handler", <code key="h">{String(task.name)}</code>]);
  } else if (task.kind === "request") {
    items.push(["Request type", <code key="t">{String(task.type)}</code>], ["Args", <code key="a">{JSON.stringify(task.args ?? {})}</code>]);
  }
  return (
    <dl className="grid grid-cols-2 gap-3 text-sm md:grid-cols-4">
      {items.map(([label, value]) => (
        <div key={label}><dt className="text-xs uppercase text-slate-500">{label}</dt><dd>{value}</dd></div>
      ))}
    </dl>
  );
}

/**
 * The invocation's task: what it runs and each run (a launch that ran it)
 * with its outcome, exit code or HTTP status and output. While a run is in
 * progress its output streams into the debug log.
 */
export function TaskCard({ task, runs, active }: { task: Task; runs: TaskRun[]; active: boolean }) {
  return (
    <Card title="Task">
      <TaskConfig task={task} />
      {task.kind === "noop" && <p className="mt-3 text-sm text-slate-500">A noop task runs nothing and records no runs.</p>}
      {active && task.kind !== "noop" && task.kind !== "request" && (
        <p data-testid="task-running" className="mt-3 text-sm text-slate-500">Running: its output streams into the debug log below.</p>
      )}
      {runs.length > 0 && (
        <ol aria-label="Task runs" className="mt-4 space-y-3">
          {runs.map((r, i) => ({ r, n: i + 1 })).reverse().map(({ r, n }) => (
            <li key={n} data-run={n} className="rounded-md border border-slate-200 p-3 dark:border-slate-700">
              <div className="flex flex-wrap items-center gap-3 text-sm">
                <span className="font-semibold">Run {n}</span>
                <Badge state={OUTCOME_STATE[r.outcome] ?? r.outcome}>{r.outcome.toLowerCase()}</Badge>
                {r.exitCode !== null && <span>exit code {r.exitCode}</span>}
                {r.httpStatus !== null && <span>HTTP {r.httpStatus}</span>}
                <span className="text-slate-500"><Time ms={r.startedAtTimestampMillis} /> · {r.finishedAtTimestampMillis - r.startedAtTimestampMillis} ms</span>
              </div>
              {r.error && <p className="mt-2 text-sm text-rose-700 dark:text-rose-300">{r.error}</p>}
              <Output label="stdout" text={r.stdout} />
              <Output label="stderr" text={r.stderr} />
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
