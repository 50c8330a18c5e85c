// The programs in examples/, run as their READMEs say, against a test server
// over a real worker (scheduler and chains included): the Python script (where
// python3 exists; skipped otherwise) and the trigger-and-request service.
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiServer } from "./api-server.ts";
import { createTestEngine, createWorker, type HourglassWorker, type TestEngine } from "./engine.ts";

const run = promisify(execFile);
const examples = join(import.meta.dirname, "../../../examples");
const hasPython = spawnSync("python3", ["--version"]).status === 0;

const PROJECT = `jobs:
  - id: publish
    task: { kind: shell, command: sh, args: ["-c", "echo publishing"] }
`;
const SPECS = `sequences:
  ship:
    request: true
    args:
      required: [{ name: app, desc: what to ship }]
      static: [{ name: cmd, default: 'echo "shipping $ARG_APP"' }]
    nodes:
      build:
        category: job
        type: shell
        args: [{ expected: command, given: cmd }, { expected: app }]
`;

const config = mkdtempSync(join(tmpdir(), "hourglass-examples-"));
let t: TestEngine;
let worker: HourglassWorker;
let api: Awaited<ReturnType<typeof startApiServer>>;

async function until<T>(check: () => Promise<T>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  t = await createTestEngine();
  writeFileSync(join(config, "rel.yaml"), PROJECT);
  writeFileSync(join(config, "ship.yaml"), SPECS);
  const childEnv = { PATH: process.env.PATH! };
  worker = createWorker(t.engine, {
    workerId: "examples", pollIntervalMs: 50, concurrency: 4, childEnv,
    scheduler: { projectsDir: config, intervalMs: 100, catalogIntervalMs: 200 },
    chains: { specsDir: config, intervalMs: 200, suspendedTtlMillis: 3_600_000 },
  });
  await worker.start();
  api = await startApiServer(t);
  await until(() => t.api.scheduler.getJob({ job: "rel/publish" }), "the project to load");
  await until(async () => (await t.api.requests.specs()).requests.some((r) => r.name === "ship"), "the specs to load");
});

afterAll(async () => {
  await worker?.stop();
  await api?.close();
  await t?.close();
  rmSync(config, { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}) =>
  ({ PATH: process.env.PATH!, HOURGLASS_URL: api.url, HOURGLASS_TOKEN: t.token, ...extra });

describe("examples/python", () => {
  it.skipIf(!hasPython)("creates a queue, enqueues, dequeues and acks with the standard library", async () => {
    const { stdout } = await run("python3", [join(examples, "python/main.py")], { env: env({ HOURGLASS_QUEUE: "py" }) });
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toBe("signed in as user:tester");
    expect(lines[1]).toBe("queue py: created");
    expect(lines[2]).toMatch(/^enqueued py:\d+ py:\d+$/);
    expect(lines.slice(3)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^dequeued 2: py:\d+ py:\d+$/), "acked 2",
      "PENDING, due: 0", "PENDING, later: 1", "IN_PROGRESS: 0", "SUCCEEDED: 1", "FAILED: 0",
    ]));
    // the failed one is back in line for a minute from now, its status appended
    const { scannedJobs } = await t.api.queues.scanJobs({ queueName: "py", jobState: "PENDING", scanFutureJobs: true });
    expect(scannedJobs).toHaveLength(1);
    expect(scannedJobs[0]!.customStatus).toContain("smtp timeout");
  });

  it.skipIf(!hasPython)("prints the API's error code and exits 1 when refused", async () => {
    const failed = await run("python3", [join(examples, "python/main.py")], { env: env({ HOURGLASS_TOKEN: "hg_1_nope" }) })
      .then(() => null, (err) => err);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("(UNAUTHENTICATED, HTTP 401)");
  });
});

describe("examples/trigger-and-request", () => {
  const start = (release: string) => run("pnpm", ["--silent", "start", release], {
    cwd: join(examples, "trigger-and-request"),
    env: env({ HOURGLASS_TRIGGER_JOB: "rel/publish", HOURGLASS_REQUEST_TYPE: "ship", HOURGLASS_REQUEST_ARGS: '{"app":"web"}' }),
  });

  it("emits a trigger, starts a request and follows both to their end", { timeout: 120_000 }, async () => {
    const { stdout } = await start("v1");
    const outcome = JSON.parse(stdout.trim().split("\n").at(-1)!);
    expect(outcome).toMatchObject({
      release: "v1",
      trigger: { id: "release:v1", accepted: 1, ignored: 0 },
      invocation: { state: "SUCCEEDED" },
      request: { state: "COMPLETE" },
    });
    const request = await t.api.requests.get({ id: outcome.request.id });
    expect(request).toMatchObject({ type: "ship", args: { app: "web" }, user: "user:tester" });
    const invocation = await t.api.scheduler.getInvocation({ job: "rel/publish", invocationId: outcome.invocation.id });
    expect((invocation.incomingTriggers as { id: string }[]).map((x) => x.id)).toContain("release:v1");
  });

  it("announcing the same release again runs the job no second time", { timeout: 120_000 }, async () => {
    const before = (await t.api.scheduler.getInvocations({ job: "rel/publish" })).invocations.length;
    const { stdout } = await start("v1");
    const outcome = JSON.parse(stdout.trim().split("\n").at(-1)!);
    expect(outcome.trigger).toEqual({ id: "release:v1", accepted: 0, ignored: 1 });
    expect(outcome.request.state).toBe("COMPLETE");
    expect((await t.api.scheduler.getInvocations({ job: "rel/publish" })).invocations).toHaveLength(before);
  });
});
