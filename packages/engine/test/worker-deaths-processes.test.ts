// Worker processes dying at awkward moments: a shell task does not outlive a
// worker killed with -9; SIGTERM at any moment of start-up exits 0 cleanly;
// a cron slot whose timer died with its worker still fires (late) on another.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEngine, type TestEngine } from "../src/testing.ts";
import { timerBody } from "../src/scheduler/host/tick-timers.ts";
import { until, WorkerProcess } from "./helpers.ts";

const scratch = mkdtempSync(join(tmpdir(), "hourglass-deaths-"));
const projects = mkdtempSync(join(tmpdir(), "hourglass-deaths-projects-"));
let t: TestEngine;
const workers: WorkerProcess[] = [];

function startWorker(id: string, env: Record<string, string> = {}): WorkerProcess {
  const w = new WorkerProcess(id, t.db.url, { HOURGLASS_PROJECTS_DIR: projects, HOURGLASS_SCHEDULER_INTERVAL_MS: "50", ...env });
  workers.push(w);
  return w;
}

beforeAll(async () => {
  t = await createTestEngine();
}, 60_000);

afterAll(async () => {
  for (const w of workers) w.kill("SIGKILL");
  await Promise.all(workers.map((w) => w.exited));
  await t?.close();
  rmSync(scratch, { recursive: true, force: true });
  rmSync(projects, { recursive: true, force: true });
});

/** Whether a process runs (a zombie, killed but not yet reaped by PID 1, counts as gone). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, "utf8") : "";
  return !/^\d+ \(.*\) Z/.test(stat);
}

describe("a worker killed with -9", () => {
  it("takes its shell task's whole process group with it within a second", async () => {
    const pidFile = join(scratch, "task.pid");
    // the task is a grandchild (sh -c backgrounds it), as in any real script
    await t.api.queues.createQueue({
      name: "q_shell_reaped",
      executor: { kind: "shell", command: "sh", args: ["-c", `sleep 30 & echo $! > ${pidFile}; wait`], timeoutMillis: 60_000 },
    });
    const w = startWorker("reaped");
    await w.ready();
    await t.api.queues.enqueueJobs({ queueName: "q_shell_reaped", jobs: [{ body: "x" }] });
    await until(() => existsSync(pidFile) && readFileSync(pidFile, "utf8").trim() !== "", "the task to start");
    const pid = Number(readFileSync(pidFile, "utf8"));
    expect(running(pid)).toBe(true);
    w.kill("SIGKILL");
    await w.exited;
    const killedAt = Date.now();
    await until(() => !running(pid), "the task to die with its worker", 5000, 10);
    expect(Date.now() - killedAt).toBeLessThan(1000);
  }, 60_000);
});

describe("SIGTERM during start-up", () => {
  it("exits 0 at any moment, and never logs 'worker started' after 'worker stopped'", async () => {
    for (const delayMs of [0, 60, 150, 300, 500, 800, 1200]) {
      const w = startWorker(`early-${delayMs}`);
      await new Promise((r) => setTimeout(r, delayMs));
      w.kill("SIGTERM");
      const code = await w.exited;
      // Before Node has run any JavaScript (its own boot, tens of ms) no handler can exist: SIGTERM's
      // default action ends the process then, having touched nothing. From the first line on, exit 0.
      if (code === null && w.child.signalCode === "SIGTERM" && w.output === "") continue;
      expect(code, `stopped after ${delayMs} ms:\n${w.output}`).toBe(0);
      expect(w.output).not.toMatch(/Cannot use a pool after calling end/);
      const started = w.output.indexOf("worker started");
      const stopped = w.output.indexOf("worker stopped");
      if (started >= 0) expect(started, w.output).toBeLessThan(stopped);
    }
  }, 90_000);
});

describe("a cron slot whose timer dies with its worker", () => {
  it("fires late on the worker that lives, and the next slot fires too", async () => {
    writeFileSync(join(projects, "lost.yaml"), `jobs:\n  - id: every-5s\n    schedule: "*/5 * * * * *"\n    task: { kind: noop }\n`);
    const a = startWorker("timer-a");
    const b = startWorker("timer-b");
    await Promise.all([a.ready(), b.ready()]);
    // a timer is claimed up to 2 s before its slot and held: find one held, and kill the worker holding it
    const held = await until(async () => (await t.db.sql.query<{ claim_descriptor: string; run_after: Date }>(
      `SELECT claim_descriptor, run_after FROM queue_job
        WHERE queue_name = 'hourglass_invocations' AND state = 'IN_PROGRESS' AND body = $1 AND run_after > now()`,
      [timerBody("lost/every-5s")])).rows[0],
    "a worker to hold the next slot's timer", 30_000, 10) as { claim_descriptor: string; run_after: Date };
    const holder = [a, b].find((w) => held.claim_descriptor.endsWith(`@${w.id}`))!;
    holder.kill("SIGKILL");
    await holder.exited;

    const slot = held.run_after.toISOString();
    const next = new Date(held.run_after.getTime() + 5000).toISOString();
    // a slot's trigger row, or (a tick consumed on arrival) its invocation's incoming trigger
    const fired = async (s: string) => (await t.db.sql.query<{ properties: { late_ms?: number } }>(
      `SELECT properties FROM scheduler_trigger WHERE job_key = 'lost/every-5s' AND trigger_id = $1
       UNION ALL
       SELECT t->'properties' FROM scheduler_invocation i, jsonb_array_elements(i.incoming_triggers) t
        WHERE i.job_key = 'lost/every-5s' AND t->>'id' = $1
          AND NOT EXISTS (SELECT 1 FROM scheduler_trigger r WHERE r.job_key = i.job_key AND r.trigger_id = $1)`,
      [`cron:lost/every-5s:${s}`])).rows;
    const lost = (await until(async () => (await fired(slot))[0], `slot ${slot} to fire`, 20_000, 50))!;
    // fired by the tick service once the timer was overdue (LOST_TIMER_MS), with its delay recorded
    expect(lost.properties.late_ms).toBeGreaterThanOrEqual(4000);
    await until(async () => (await fired(next)).length > 0, `slot ${next} to fire`, 20_000, 50);
    expect((await fired(slot)).length).toBe(1);
  }, 90_000);
});
