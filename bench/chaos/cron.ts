// The cron scenario: a `*/5 * * * * *` noop job on three worker processes,
// one of them killed with -9 every few seconds (never the last one ready)
// and replaced at once. Every slot in the window must fire exactly once; a
// slot whose tick timer died with its worker fires late, on another.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChaosServer, ScenarioDatabase } from "./database.ts";
import { describeExit, Fleet } from "./fleet.ts";
import type { CronRow } from "./table.ts";

const JOB = "chaos/every-5s";
const PROJECT_YAML = `jobs:\n  - id: every-5s\n    schedule: "*/5 * * * * *"\n    task: { kind: noop }\n`;
const SLOT_MS = 5000;
/** A slot fired (trigger recorded or invocation started) more than this after it is late. */
export const LATE_MS = 1000;
/**
 * After the window, the slots' invocations get this long to finish: a lost
 * timer fires 5 s after its slot (LOST_TIMER_MS), but an invocation whose
 * carrier job a killed worker held waits for that claim to lapse (the
 * invocations queue's claim timeout, 60 s).
 */
const SETTLE_MS = 80_000;
const ACTIVE = ["STARTING", "RETRYING", "RUNNING"];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const clock = (t: number) => new Date(t).toISOString().slice(11, 19);

interface Trigger {
  trigger_id: string;
  properties: { late_ms?: number; skipped_slots?: number };
  discarded_at: Date | null;
}

interface Invocation {
  id: string;
  state: string;
  /** When it was created (RUNNING at once when a tick timer starts it, STARTING when triage does). */
  started_at: Date | null;
  /** Time of day (UTC) of its "launching the task" debug-log line: when the task began, or null if it never did. */
  launched: string | null;
  debug_log: string;
  incoming_triggers: { id: string; properties?: { late_ms?: number } }[];
}

/** When an invocation's task began (epoch ms), from its log line's time of day and the slot's day. */
function launchedAt(inv: Invocation, slot: number): number | null {
  if (!inv.launched) return null;
  const day = new Date(slot).toISOString().slice(0, 10);
  let t = Date.parse(`${day}T${inv.launched}Z`);
  if (t < slot - 43_200_000) t += 86_400_000; // the slot just before midnight, launched after it
  return t;
}

/** A slot's trigger id, as the cron machine derives it. */
const triggerId = (slot: number) => `cron:${JOB}:${new Date(slot).toISOString()}`;

export async function runCron(server: ChaosServer, seconds: number): Promise<CronRow> {
  const sdb = await server.database("chaos_cron");
  const projects = mkdtempSync(join(tmpdir(), "hourglass-chaos-projects-"));
  const empty = mkdtempSync(join(tmpdir(), "hourglass-chaos-empty-"));
  writeFileSync(join(projects, "chaos.yaml"), PROJECT_YAML);
  const fleet = new Fleet("cron", 3, {
    DATABASE_URL: sdb.url,
    HOURGLASS_PROJECTS_DIR: projects,
    HOURGLASS_SPECS_DIR: empty,
    HOURGLASS_POLL_INTERVAL_MS: "200",
    HOURGLASS_MAINTENANCE_INTERVAL_MS: "200",
    HOURGLASS_SHUTDOWN_GRACE_MS: "2000",
  });
  try {
    await fleet.start();
    const loadedBy = Date.now() + 30_000;
    while ((await sdb.query(`SELECT 1 FROM scheduler_job WHERE key = $1 AND next_tick_at IS NOT NULL`, [JOB])).length === 0) {
      if (Date.now() > loadedBy) throw new Error(`${JOB} not loaded by the workers`);
      await sleep(100);
    }
    const start = Date.now();
    const end = start + seconds * 1000;
    while (Date.now() < end) {
      await sleep(Math.min(2000 + Math.random() * 2000, Math.max(0, end - Date.now())));
      if (Date.now() < end) fleet.kill("SIGKILL", 1);
    }
    const slots: number[] = [];
    for (let t = Math.floor(start / SLOT_MS) * SLOT_MS + SLOT_MS; t <= end; t += SLOT_MS) slots.push(t);
    const { triggers, invocations } = await settle(sdb, slots);
    await fleet.stop();

    const row = countSlots(slots, triggers, invocations);
    row.scenario = `*/5 s cron, kill -9 a worker every 2–4 s, ${seconds} s`;
    row.workerExits = fleet.unexpected.length;
    row.notes.unshift(`${fleet.kills.length} kills; ${slots.length} slots from ${clock(slots[0]!)} to ${clock(slots.at(-1)!)} UTC; `
      + `${invocations.length} invocations in all; the latest slot fired ${(row.maxLateMs / 1000).toFixed(1)} s after it`);
    row.notes.push(...fleet.unexpected.map(describeExit));
    return row;
  } finally {
    await fleet.stop();
    await sdb.close();
    rmSync(projects, { recursive: true, force: true });
    rmSync(empty, { recursive: true, force: true });
  }
}

/** The job's triggers and invocations once every slot has run, or SETTLE_MS after the window. */
async function settle(sdb: ScenarioDatabase, slots: number[]): Promise<{ triggers: Trigger[]; invocations: Invocation[] }> {
  const until = Date.now() + SETTLE_MS;
  for (;;) {
    const triggers = await sdb.query<Trigger>(
      `SELECT trigger_id, properties, discarded_at FROM scheduler_trigger WHERE job_key = $1`, [JOB]);
    const invocations = await sdb.query<Invocation>(
      `SELECT id::text, state::text, started_at, incoming_triggers, debug_log,
              substring(debug_log FROM '\\[([0-9:.]+)\\] launching the task') AS launched
         FROM scheduler_invocation WHERE job_key = $1`, [JOB]);
    const ran = new Set(invocations.filter((i) => !ACTIVE.includes(i.state)).flatMap((i) => i.incoming_triggers.map((t) => t.id)));
    if (slots.every((s) => ran.has(triggerId(s))) || Date.now() > until) return { triggers, invocations };
    await sleep(500);
  }
}

/**
 * Each slot by the invocations that carry its trigger (a tick consumed on
 * arrival leaves no trigger row, only its invocation's incoming trigger):
 * one is "once", more is "twice", none is "missed". Late: the trigger's
 * late_ms, or its task beginning more than LATE_MS after the slot (or not
 * at all by the end).
 */
export function countSlots(slots: number[], triggers: Trigger[], invocations: Invocation[]): CronRow {
  const row: CronRow = {
    kind: "cron", scenario: "", slots: slots.length, once: 0, twice: 0, late: 0, missed: 0, maxLateMs: 0, workerExits: 0, notes: [],
  };
  for (const slot of slots) {
    const id = triggerId(slot);
    const runs = invocations.filter((i) => i.incoming_triggers.some((t) => t.id === id));
    const trigger = triggers.find((t) => t.trigger_id === id);
    if (runs.length === 0) {
      row.missed++;
      const why = !trigger ? "no trigger, no invocation" : trigger.discarded_at ? "trigger discarded" : "trigger recorded, never run";
      row.notes.push(`missed: slot ${new Date(slot).toISOString()} (${why})`);
      continue;
    }
    if (runs.length === 1) row.once++;
    else {
      row.twice++;
      row.notes.push(`fired twice: slot ${new Date(slot).toISOString()}, invocations ${runs.map((r) => r.id).join(", ")}`);
    }
    const lateMs = Math.max(
      trigger?.properties.late_ms ?? 0,
      ...runs.map((r) => r.incoming_triggers.find((t) => t.id === id)?.properties?.late_ms ?? 0),
      ...runs.map((r) => (launchedAt(r, slot) ?? Date.now()) - slot),
    );
    for (const r of runs.filter((r) => r.launched === null)) {
      row.notes.push(`slot ${new Date(slot).toISOString()}: invocation ${r.id} never began its task (${r.state} at the end): `
        + JSON.stringify(r.debug_log.trimEnd().split("\n").slice(-4)));
    }
    if (lateMs > LATE_MS) row.late++;
    row.maxLateMs = Math.max(row.maxLateMs, lateMs);
  }
  for (const t of triggers.filter((t) => t.properties.skipped_slots)) {
    row.notes.push(`catch-up ${t.trigger_id} skipped ${t.properties.skipped_slots} slot(s)`);
  }
  const unfinished = invocations.filter((i) => i.state !== "SUCCEEDED");
  if (unfinished.length) row.notes.push(`invocations not SUCCEEDED at the end: ${unfinished.map((i) => `${i.id} ${i.state}`).join(", ")}`);
  const slow = invocations.map((i) => {
    const first = i.incoming_triggers.map((t) => /:(\d{4}-.*Z)$/.exec(t.id)?.[1]).filter(Boolean).map((t) => Date.parse(t!)).sort()[0];
    return first === undefined ? null : { i, ms: (launchedAt(i, first) ?? Date.now()) - first };
  }).filter((x): x is { i: Invocation; ms: number } => x !== null && x.ms > 10_000);
  for (const { i, ms } of slow) {
    row.notes.push(`invocation ${i.id} began its task ${(ms / 1000).toFixed(1)} s after its first slot: `
      + JSON.stringify(i.debug_log.trimEnd().split("\n").slice(0, 6)));
  }
  return row;
}
