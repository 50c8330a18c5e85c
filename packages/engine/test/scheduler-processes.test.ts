// Two real worker processes running the same cron job: one trigger and one
// invocation per tick, never two. Then one is killed and the other keeps
// ticking alone. Last, every worker is down across several slots of an
// hourly job, and the one that comes back runs one catch-up, not a flood.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEngine, type TestEngine } from "../src/testing.ts";
import { until, WorkerProcess } from "./helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "hourglass-projects-"));
let t: TestEngine;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  t = await createTestEngine();
  writeFileSync(join(dir, "tick.yaml"), `jobs:\n  - id: every-second\n    schedule: "* * * * * *"\n    task: { kind: noop }\n`
    + `  - id: hourly\n    schedule: "0 * * * *"\n    task: { kind: noop }\n`);
  for (const id of ["s1", "s2"]) workers.push(startWorker(id));
  await Promise.all(workers.map((w) => w.ready()));
}, 60_000);

afterAll(async () => {
  for (const w of workers) w.kill("SIGKILL");
  await Promise.all(workers.map((w) => w.exited));
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

function startWorker(id: string): WorkerProcess {
  return new WorkerProcess(id, t.db.url, { HOURGLASS_PROJECTS_DIR: dir, HOURGLASS_SCHEDULER_INTERVAL_MS: "50", HOURGLASS_POLL_INTERVAL_MS: "50" });
}

/**
 * Every cron tick the job received, duplicates kept: trigger rows, plus ticks
 * consumed on arrival (their invocation's incoming trigger is their only record).
 */
async function cronTriggers() {
  return (await t.db.sql.query<{ trigger_id: string }>(
    `SELECT trigger_id FROM scheduler_trigger WHERE job_key = 'tick/every-second' AND trigger_id LIKE 'cron:%'
     UNION ALL
     SELECT t->>'id' FROM scheduler_invocation i, jsonb_array_elements(i.incoming_triggers) t
      WHERE i.job_key = 'tick/every-second' AND t->>'id' LIKE 'cron:%'
        AND NOT EXISTS (SELECT 1 FROM scheduler_trigger r WHERE r.job_key = i.job_key AND r.trigger_id = t->>'id')
     ORDER BY 1`)).rows;
}

describe("two worker processes, one cron job", () => {
  it("fire one trigger per second and start each at most once", async () => {
    await until(async () => (await t.api.scheduler.getInvocations({ job: "tick/every-second", finishedOnly: true })).invocations.length >= 6, "six finished invocations", 30_000);
    const triggers = await cronTriggers();
    // at most one trigger per second since the first slot (the workers may have ticked before this test began): none doubled
    const firstSlot = Math.min(...triggers.map((x) => Date.parse(x.trigger_id.slice("cron:tick/every-second:".length))));
    const elapsedSeconds = Math.ceil((Date.now() - firstSlot) / 1000);
    expect(triggers.length).toBeLessThanOrEqual(elapsedSeconds + 1);
    const slots = triggers.map((x) => x.trigger_id);
    expect(new Set(slots).size).toBe(slots.length);
    // every used trigger went to exactly one invocation, and no invocation has another's trigger
    const all = (await t.api.scheduler.getInvocations({ job: "tick/every-second", pageSize: 50 })).invocations;
    const incoming = await Promise.all(all.map((i) => t.api.scheduler.getInvocation({ job: "tick/every-second", invocationId: i.id })));
    const used = incoming.flatMap((i) => (i.incomingTriggers as { id: string }[]).map((x) => x.id));
    expect(new Set(used).size).toBe(used.length);
  });

  it("keeps ticking when one worker is killed", async () => {
    workers[0]!.kill("SIGKILL");
    await workers[0]!.exited;
    const before = (await cronTriggers()).length;
    await until(async () => (await cronTriggers()).length >= before + 3, "three more ticks from the surviving worker", 20_000);
  });

  it("a worker that comes back after missing five hourly slots runs one catch-up, not five", async () => {
    workers[1]!.kill("SIGTERM");
    await workers[1]!.exited;
    // every worker is down; rewind the hourly job's armed state by five hours, as if they had been down that long
    const hour = 3_600_000;
    const lastSlot = Math.floor(Date.now() / hour) * hour;
    await t.db.sql.query(`UPDATE scheduler_job SET next_tick_at = $2, last_slot_at = $3 WHERE key = $1`,
      ["tick/hourly", new Date(lastSlot - 4 * hour), new Date(lastSlot - 5 * hour)]);
    const back = startWorker("s3");
    workers.push(back);
    await back.ready();
    await until(async () => (await t.api.scheduler.getInvocations({ job: "tick/hourly", finishedOnly: true })).invocations.length >= 1, "the catch-up run", 20_000);
    const job = (await t.db.sql.query<{ next_tick_at: Date; last_slot_at: Date }>(
      `SELECT next_tick_at, last_slot_at FROM scheduler_job WHERE key = 'tick/hourly'`)).rows[0]!;
    // the newest missed slot fired (the hour may have turned meanwhile), and the job is re-armed for the slot after it
    expect(job.last_slot_at.getTime()).toBeGreaterThanOrEqual(lastSlot);
    expect(job.next_tick_at.getTime()).toBe(job.last_slot_at.getTime() + hour);
    const triggers = (await t.db.sql.query<{ trigger_id: string }>(`SELECT trigger_id FROM scheduler_trigger WHERE job_key = 'tick/hourly'`)).rows;
    expect(triggers.map((x) => x.trigger_id)).toEqual([`cron:tick/hourly:${job.last_slot_at.toISOString()}`]);
    expect((await t.api.scheduler.getInvocations({ job: "tick/hourly" })).invocations).toHaveLength(1);
  });
});
