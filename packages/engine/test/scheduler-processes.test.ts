// Two real worker processes running the same cron job: one trigger and one
// invocation per tick, never two. Then one is killed and the other keeps
// ticking alone.
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
  writeFileSync(join(dir, "tick.yaml"), `jobs:\n  - id: every-second\n    schedule: "* * * * * *"\n    task: { kind: noop }\n`);
  for (const id of ["s1", "s2"]) {
    workers.push(new WorkerProcess(id, t.db.url, { HOURGLASS_PROJECTS_DIR: dir, HOURGLASS_SCHEDULER_INTERVAL_MS: "50", HOURGLASS_POLL_INTERVAL_MS: "50" }));
  }
  await Promise.all(workers.map((w) => w.ready()));
}, 60_000);

afterAll(async () => {
  for (const w of workers) w.kill("SIGKILL");
  await Promise.all(workers.map((w) => w.exited));
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function cronTriggers() {
  return (await t.db.sql.query<{ trigger_id: string; invocation_id: string | null }>(
    `SELECT trigger_id, invocation_id::text AS invocation_id FROM scheduler_trigger WHERE job_key = 'tick/every-second' AND trigger_id LIKE 'cron:%' ORDER BY trigger_id`)).rows;
}

describe("two worker processes, one cron job", () => {
  it("fire one trigger per second and start each at most once", async () => {
    const started = Date.now();
    await until(async () => (await t.api.scheduler.getInvocations({ job: "tick/every-second", finishedOnly: true })).invocations.length >= 6, "six finished invocations", 30_000);
    const elapsedSeconds = Math.ceil((Date.now() - started) / 1000);
    const triggers = await cronTriggers();
    // at most one trigger per elapsed second (plus the one in flight at the start): none doubled
    expect(triggers.length).toBeLessThanOrEqual(elapsedSeconds + 2);
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
});
