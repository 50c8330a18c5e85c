// The chaos benchmark's one table, its notes and its targets.
import type { DrainFault } from "./drain.ts";

export interface DrainRow {
  kind: "drain";
  scenario: string;
  faultKind: DrainFault;
  enqueued: number;
  succeeded: number;
  /** Enqueued jobs not SUCCEEDED by the end. */
  lost: number;
  /** Jobs the counter server saw more than once, and how many of them a fault explains (evidence.ts). */
  executedTwice: number;
  explained: number;
  explainedHow: { timing: number; history: number };
  completedTwice: number;
  /** Jobs seen running twice at once. */
  runningTwice: number;
  /** Worker exits the benchmark did not cause. */
  workerExits: number;
  /** The longest time from a fault (a kill; a restart's return) to the next execution. */
  recoverMs: number | null;
  notes: string[];
}

export interface CronRow {
  kind: "cron";
  scenario: string;
  slots: number;
  once: number;
  twice: number;
  /** Fired more than LATE_MS after the slot. */
  late: number;
  /** No invocation ran the slot's trigger. */
  missed: number;
  maxLateMs: number;
  workerExits: number;
  notes: string[];
}

export type Row = DrainRow | CronRow;

const n = (x: number) => x.toLocaleString("en-US");

const COLUMNS = [
  "scenario", "jobs enqueued", "succeeded", "lost", "executed > 1 (explained by a fault)", "completed twice",
  "running twice at once", "worker exits", "recovery s (max)", "slots once / twice / late / missed",
];

function cells(r: Row): string[] {
  if (r.kind === "cron") {
    return [r.scenario, "–", "–", "–", "–", "–", "–", String(r.workerExits), "–", `${r.once} / ${r.twice} / ${r.late} / ${r.missed} of ${r.slots}`];
  }
  const recovery = r.recoverMs === null ? "–" : (r.recoverMs / 1000).toFixed(2);
  return [
    r.scenario, n(r.enqueued), n(r.succeeded), n(r.lost), `${n(r.executedTwice)} (${n(r.explained)})`, n(r.completedTwice),
    n(r.runningTwice), String(r.workerExits), recovery, "–",
  ];
}

/** The table, in Markdown (as README's Benchmarks section shows it). */
export function printTable(rows: Row[]): void {
  console.log(`| ${COLUMNS.join(" | ")} |`);
  console.log(`|${COLUMNS.map(() => "---").join("|")}|`);
  for (const r of rows) console.log(`| ${cells(r).join(" | ")} |`);
}

export function printNotes(rows: Row[]): void {
  for (const r of rows) {
    console.log(`\n${r.scenario}:`);
    if (r.kind === "drain" && r.executedTwice > 0) {
      const how = r.explainedHow;
      console.log(`  - executed more than once: ${how.timing} with a run in flight at a fault, `
        + `${how.history} with a claim handed back in the history (a job may have both)`);
    }
    for (const note of r.notes) console.log(`  - ${note}`);
  }
}

interface Target {
  what: string;
  value: string;
  met: boolean;
}

export function targets(rows: Row[]): Target[] {
  const drains = rows.filter((r): r is DrainRow => r.kind === "drain");
  const crons = rows.filter((r): r is CronRow => r.kind === "cron");
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const list: Target[] = [];
  const add = (what: string, value: number, met = value === 0, shown = String(value)) => list.push({ what, value: shown, met });
  if (drains.length) {
    add("0 lost", sum(drains.map((r) => r.lost)));
    add("0 completed twice", sum(drains.map((r) => r.completedTwice)));
    add("0 unexplained double executions", sum(drains.map((r) => r.executedTwice - r.explained)));
    add("0 tasks running twice at once", sum(drains.map((r) => r.runningTwice)));
    const restarts = drains.filter((r) => r.faultKind.startsWith("pg"));
    if (restarts.length) add("0 worker exits on a database restart", sum(restarts.map((r) => r.workerExits)));
    const kills = drains.filter((r) => !r.faultKind.startsWith("pg"));
    const exits = sum(kills.map((r) => r.workerExits));
    if (kills.length) add("0 worker exits besides the kills (a SIGTERM'd worker exits 0 within 15 s)", exits);
    const worst = Math.max(...drains.map((r) => r.recoverMs ?? 0));
    add("recovery under 5 s", worst, worst < 5000, `${(worst / 1000).toFixed(2)} s`);
  }
  if (crons.length) {
    add("0 slots missed while a worker lives", sum(crons.map((r) => r.missed)));
    add("0 slots fired twice", sum(crons.map((r) => r.twice)));
    add("0 worker exits besides the kills (cron)", sum(crons.map((r) => r.workerExits)));
  }
  return list;
}

/** Prints the targets; returns whether all were met. */
export function printTargets(rows: Row[]): boolean {
  const list = targets(rows);
  console.log(`\nTargets:`);
  for (const t of list) console.log(`  ${t.met ? "✓" : "✗"} ${t.what}: ${t.value}`);
  return list.every((t) => t.met);
}
