// One writer per state machine, kept so: only the statements in scheduler/sql/
// create invocations or move their state, write triggers, pause or resume a
// job, or store a triage log; and nothing in scheduler/ imports chains/.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "..", "src");
const SQL_DIR = join("scheduler", "sql");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

/** Each statement (up to the end of its template literal) that starts with `start`, in every source file. */
function statements(start: RegExp): { file: string; text: string }[] {
  return sources(SRC).flatMap((file) => {
    const text = readFileSync(file, "utf8");
    const re = new RegExp(`${start.source}[^\`]*`, "gi");
    return [...text.matchAll(re)].map((m) => ({ file: relative(SRC, file), text: m[0] }));
  });
}

const filesOf = (found: { file: string }[]) => [...new Set(found.map((f) => f.file))].sort();

describe("the writers of the scheduler's state machines", () => {
  it("invocations are created, and their state moved, only in scheduler/sql/", () => {
    const inserts = statements(/INSERT\s+INTO\s+"?scheduler_invocation"?(?![_a-z])/);
    expect(filesOf(inserts)).toEqual([join(SQL_DIR, "createInvocations.ts")]);
    const moves = statements(/UPDATE\s+"?scheduler_invocation"?(?![_a-z])/)
      .filter((s) => /\bSET\b[\s\S]*\b(state|finished_at|retry_count|aborted_by)\s*=/i.test(s.text));
    expect(filesOf(moves)).toEqual([
      join(SQL_DIR, "finishInvocations.ts"), join(SQL_DIR, "launchInvocations.ts"), join(SQL_DIR, "retryInvocation.ts"),
    ]);
  });

  it("triggers are written only in scheduler/sql/ (emitted, consumed, discarded)", () => {
    const writes = statements(/(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?scheduler_trigger"?(?![_a-z])/);
    expect(filesOf(writes)).toEqual([
      join(SQL_DIR, "createInvocations.ts"), join(SQL_DIR, "discardTriggers.ts"), join(SQL_DIR, "emitTriggers.ts"),
    ]);
  });

  it("a job's pause state and its triage log are written only in scheduler/sql/", () => {
    const jobWrites = statements(/UPDATE\s+"?scheduler_job"?(?![_a-z])/);
    const pause = jobWrites.filter((s) => /\b(paused_at|paused_by|pause_reason)\s*=/i.test(s.text));
    expect(filesOf(pause)).toEqual([join(SQL_DIR, "pauseFailingJobs.ts"), join(SQL_DIR, "pauseJob.ts"), join(SQL_DIR, "resumeJob.ts")]);
    const triage = jobWrites.filter((s) => /\b(triage_log|last_triage_at)\s*=/i.test(s.text));
    expect(filesOf(triage)).toEqual([join(SQL_DIR, "advanceTickedJobs.ts"), join(SQL_DIR, "recordTriage.ts")]);
  });

  it("scheduler/ imports nothing from chains/ (it talks to them through SchedulerHooks)", () => {
    const imports = sources(join(SRC, "scheduler")).flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/from\s+"([^"]+)"/g)]
        .map((m) => m[1]!)
        .filter((spec) => /(^|\/)chains\//.test(spec))
        .map((spec) => `${relative(SRC, file)}: ${spec}`));
    expect(imports).toEqual([]);
  });
});
