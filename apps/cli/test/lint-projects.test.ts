// `hourglass lint-projects`: project files checked offline as workers load them, with
// each cron job's next runs in its zone (jitter included), at a fixed "now".
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../src/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "hourglass-cli-projects-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NOW = Date.parse("2026-03-28T12:00:00Z");

async function cli(argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c) => (out += c));
  stderr.on("data", (c) => (err += c));
  const code = await main(argv, { stdout, stderr, now: () => NOW, env: {} });
  return { code, out, err };
}

describe("hourglass lint-projects", () => {
  it("previews each cron job's next runs in its zone, across a DST change", async () => {
    writeFileSync(join(dir, "ops.yaml"), `jobs:
  - id: nightly
    schedule: "30 2 * * *"
    timezone: Europe/Berlin
    task: { kind: noop }
  - id: on-demand
    task: { kind: noop }
`);
    const r = await cli(["lint-projects", dir, "--runs", "3"]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`1 file(s), 2 job(s): no problems
ops/nightly: daily at 02:30 (Europe/Berlin) (30 2 * * *)
  next 3 run(s) in Europe/Berlin:
    2026-03-29 03:00:00 CEST
    2026-03-30 02:30:00 CEST
    2026-03-31 02:30:00 CEST
ops/on-demand: when triggered
`);
    const json = JSON.parse((await cli(["--json", "lint-projects", dir, "--job", "ops/nightly"])).out);
    expect(json.jobs).toHaveLength(1);
    expect(json.jobs[0].runs).toHaveLength(10);
    expect(json.jobs[0].runs[0]).toEqual({ slotAt: Date.parse("2026-03-29T01:00:00Z"), runAt: Date.parse("2026-03-29T01:00:00Z"), text: "2026-03-29 03:00:00 CEST" });
  });

  it("includes each run's jitter, and names the file, line and reason of a problem", async () => {
    writeFileSync(join(dir, "ops.yaml"), `jobs:
  - id: nightly
    schedule: "*/15 * * * *"
    jitter: 5m
    task: { kind: noop }
`);
    const json = JSON.parse((await cli(["--json", "lint-projects", dir, "--runs", "4"])).out);
    const runs = json.jobs[0].runs as { slotAt: number; runAt: number }[];
    expect(runs.map((x) => new Date(x.slotAt).toISOString())).toEqual([
      "2026-03-28T12:15:00.000Z", "2026-03-28T12:30:00.000Z", "2026-03-28T12:45:00.000Z", "2026-03-28T13:00:00.000Z"]);
    expect(runs.every((x) => x.runAt >= x.slotAt && x.runAt < x.slotAt + 300_000)).toBe(true);

    writeFileSync(join(dir, "ops.yaml"), `jobs:
  - id: nightly
    schedule: "*/15 * * * *"
    catch_up_window: forever
    task: { kind: noop }
`);
    const bad = await cli(["lint-projects", dir]);
    expect(bad.code).toBe(1);
    expect(bad.out).toBe(`${join(dir, "ops.yaml")}:4: job "nightly": "forever" is not a duration (e.g. 500ms, 30s, 10m, 1h30m, 2d)\n1 problem(s)\n`);
    expect((await cli(["lint-projects", join(dir, "missing")])).err).toBe(`hourglass: cannot read projects directory ${join(dir, "missing")}: ENOENT\n`);
    expect((await cli(["lint-projects", dir, "--runs", "500"])).err).toBe("hourglass: --runs is at most 100\n");
  });
});
