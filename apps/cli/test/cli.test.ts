// The hourglass CLI against a real API: an HTTP server over a test engine on
// real PostgreSQL, with an in-process worker running the chains. Commands run
// in-process (captured output, exit code); one runs the installed bin.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { promisify } from "node:util";
import { createTestEngine, type TestEngine } from "@hourglass/engine/testing";
import { createWorker, type HourglassWorker } from "@hourglass/engine/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/cli.ts";
import { DEFAULT_ADDR, resolveSettings } from "../src/config.ts";
import { startApiServer } from "./api-server.ts";

const SPECS = `sequences:
  greet:
    request: true
    description: says hello
    args:
      required: [{ name: name, desc: who to greet }]
      optional: [{ name: greeting, default: hello }]
      static: [{ name: cmd, default: 'echo "$ARG_GREETING $ARG_NAME"' }]
    nodes:
      say:
        category: job
        type: shell
        args: [{ expected: command, given: cmd }, { expected: name }, { expected: greeting }]
  nap:
    request: true
    args:
      static: [{ name: cmd, default: 'sleep 30' }]
    nodes:
      sleep:
        category: job
        type: shell
        args: [{ expected: command, given: cmd }]
`;

const specs = mkdtempSync(join(tmpdir(), "hourglass-cli-specs-"));
let t: TestEngine;
let worker: HourglassWorker;
let server: Server;
let addr: string;

beforeAll(async () => {
  t = await createTestEngine();
  writeFileSync(join(specs, "cli.yaml"), SPECS);
  const env = { PATH: process.env.PATH! };
  worker = createWorker(t.engine, {
    workerId: "cli", pollIntervalMs: 20, concurrency: 5, childEnv: env,
    chains: { specsDir: specs, intervalMs: 200, suspendedTtlMillis: 3_600_000 },
  });
  await worker.start();
  ({ server, addr } = await startApiServer(t));
});

afterAll(async () => {
  await worker?.stop();
  await new Promise((r) => server?.close(r));
  await t?.close();
  rmSync(specs, { recursive: true, force: true });
});

/** Runs the CLI in-process with HOURGLASS_ADDR pointing at the test server. */
async function cli(argv: string[], o: { input?: string; interactive?: boolean; env?: Record<string, string> } = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c) => (out += c));
  stderr.on("data", (c) => (err += c));
  stdin.end(o.input ?? "");
  const code = await main(argv, {
    stdout, stderr, stdin, interactive: o.interactive ?? false, env: { HOURGLASS_ADDR: addr, HOURGLASS_TOKEN: t.token, ...o.env },
    home: "/nonexistent", readFile: () => null, sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 50))),
  });
  return { code, out, err };
}

const idOf = (out: string) => /request ([a-z0-9]{20})/.exec(out)![1]!;

describe("hourglass CLI", () => {
  it("start --wait runs a request to COMPLETE; status, info and log show it", async () => {
    const started = await cli(["start", "greet", "name=world", "--wait"]);
    expect(started).toMatchObject({ code: 0, err: "" });
    const id = idOf(started.out);
    expect(started.out).toContain(`${id} COMPLETE (3/3 jobs)`);

    const status = await cli(["status", id]);
    expect(status.out).toMatch(new RegExp(`^${id}  greet  COMPLETE  3/3 jobs \\(100%\\)`));
    const info = await cli(["info", id]);
    expect(info.out).toMatch(/user:\s+user:tester/);
    expect(info.out).toContain("  name=world\n  greeting=hello\n");
    expect(info.out).toMatch(/j\d+\s+say\s+shell\s+COMPLETE\s+1/);
    const log = await cli(["log", id]);
    expect(log.out).toMatch(/say \(shell\) try 1: COMPLETE, exit 0/);
    expect(log.out).toContain("    hello world");

    const asJson = JSON.parse((await cli(["--json", "status", id])).out);
    expect(asJson).toMatchObject({ id, state: "COMPLETE", finishedJobs: 3, running: [] });
  });

  it("asks for missing args on a terminal: required until answered, optional keeping the default", async () => {
    const r = await cli(["start", "greet"], { interactive: true, input: "\nBob\n\n" });
    expect(r.code).toBe(0);
    expect(r.out).toContain("name (who to greet): name (who to greet): greeting [hello]: OK, started greet request");
    const request = await t.api.requests.get({ id: idOf(r.out) });
    expect(request.args).toMatchObject({ name: "Bob", greeting: "hello" });
  });

  it("without a terminal, names the missing and unknown args and creates nothing", async () => {
    const before = (await t.api.requests.find({})).requests.length;
    expect(await cli(["start", "greet"])).toMatchObject({ code: 1, err: "hourglass: missing required arg(s): name (who to greet); give them as name=value\n" });
    expect((await cli(["start", "greet", "name=x", "colour=red"])).err).toBe("hourglass: greet has no arg colour; its args: name, greeting\n");
    expect((await cli(["start", "nope"])).err).toBe("hourglass: no request type \"nope\"; request types: greet, nap\n");
    expect((await cli(["start", "greet", "oops"])).err).toBe("hourglass: arg \"oops\" is not name=value\n");
    expect((await t.api.requests.find({})).requests.length).toBe(before);
  });

  it("ps lists the running job; running exits 0 until the request is stopped, then 1", async () => {
    const id = idOf((await cli(["start", "nap"])).out);
    await expect.poll(async () => (await cli(["ps"])).out, { timeout: 10_000 }).toMatch(new RegExp(`${id}\\s+nap\\s+j\\d+\\s+sleep\\s+shell\\s+1`));
    expect((await cli(["running", id])).code).toBe(0);
    expect(await cli(["stop", id])).toMatchObject({ code: 0, out: `OK, request ${id} is STOPPED\n` });
    expect((await cli(["running", id])).code).toBe(1);
    expect(await cli(["running", "doesnotexist"])).toMatchObject({ code: 1, err: "hourglass: no such request: doesnotexist\n" });
    expect((await cli(["suspend", id])).err).toMatch(/is STOPPED; it must be RUNNING to become SUSPENDED/);
  });

  it("find filters by type, state, user, args and time; --json for scripts", async () => {
    const greet = await cli(["find", "--type", "greet"]);
    expect(greet.out.split("\n")[0]).toMatch(/^ID\s+TYPE\s+STATE\s+USER\s+CREATED\s+PROGRESS$/);
    expect(greet.out.trim().split("\n")).toHaveLength(3);
    expect((await cli(["find", "--state", "stopped"])).out).toMatch(/nap\s+STOPPED\s+user:tester/);
    expect((await cli(["find", "name=Bob"])).out.trim().split("\n")).toHaveLength(2);
    expect((await cli(["find", "--user", "nobody"])).out).toBe("no requests match\n");
    expect((await cli(["find", "--until", "2001-01-01"])).out).toBe("no requests match\n");
    const page = JSON.parse((await cli(["--json", "find", "--since", "1h", "--limit", "1"])).out);
    expect(page).toMatchObject({ more: true });
    expect(page.requests).toHaveLength(1);
    expect((await cli(["find", "--since", "yesterday-ish"])).err).toBe("hourglass: --since \"yesterday-ish\" is neither a date / time nor an age like 30m\n");
    expect((await cli(["find", "--state", "DONE"])).err).toMatch(/^hourglass: states\.0: Invalid option/);
  });

  it("specs lists request types with their args", async () => {
    expect((await cli(["specs", "greet"])).out).toBe("greet: says hello\n  name (required)  who to greet\n  greeting=hello\n");
  });

  it("says when the server cannot be reached, and why a setting is wrong", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect(await cli(["status", "x", "--addr", `http://127.0.0.1:${port}`])).toMatchObject({ code: 1, err: `hourglass: cannot reach Hourglass at http://127.0.0.1:${port}: ECONNREFUSED\n` });
    expect((await cli(["status", "x"], { env: { HOURGLASS_ADDR: "ftp://x" } })).err).toBe("hourglass: HOURGLASS_ADDR: addr must be an http:// or https:// URL\n");
  });

  it("the installed bin reads its address from a config file and prints both versions", async () => {
    const home = mkdtempSync(join(tmpdir(), "hourglass-cli-home-"));
    writeFileSync(join(home, ".hourglass.yaml"), `addr: ${addr}\n`);
    try {
      const bin = join(import.meta.dirname, "..", "bin", "hourglass.mjs");
      const { stdout } = await promisify(execFile)(process.execPath, [bin, "version"], { env: { PATH: process.env.PATH, HOME: home } });
      expect(stdout).toBe(`hourglass CLI 0.4.0\nserver 0.4.0 (requests/v1) at ${addr}\n`);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe("hourglass lint", () => {
  it("reports each problem with file and line, and exits 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hourglass-cli-lint-"));
    try {
      writeFileSync(join(dir, "bad.yaml"), `sequences:
  broken:
    request: true
    nodes:
      a:
        category: job
        type: teleport
`);
      const r = await cli(["lint", dir]);
      expect(r.code).toBe(1);
      expect(r.out).toBe(`${join(dir, "bad.yaml")}:6: broken/a: unknown job type "teleport" (known: http, noop, shell)\n1 problem(s)\n`);
      expect((await cli(["lint", dir, "--types", "teleport"])).out).toBe("1 file(s), 1 request type(s) (broken): no problems\n");
      expect((await cli(["lint", join(dir, "missing")])).err).toBe(`hourglass: cannot read spec directory ${join(dir, "missing")}: ENOENT\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("address resolution", () => {
  const base = { flags: {}, env: {}, home: "/home/a" };
  const files = (map: Record<string, string>) => (p: string) => map[p] ?? null;

  it("takes flag over env over config files over the default", () => {
    expect(resolveSettings({ ...base, readFile: files({}) }).addr).toBe(DEFAULT_ADDR);
    const withFiles = files({ "/etc/hourglass/cli.yaml": "addr: http://etc:1\ntimeout: 500\n", "/home/a/.hourglass.yaml": "addr: http://home:2/\n" });
    expect(resolveSettings({ ...base, readFile: withFiles })).toEqual({ addr: "http://home:2", timeoutMs: 500, token: null });
    expect(resolveSettings({ ...base, env: { HOURGLASS_ADDR: "http://env:3" }, readFile: withFiles }).addr).toBe("http://env:3");
    expect(resolveSettings({ ...base, flags: { addr: "http://flag:4" }, env: { HOURGLASS_ADDR: "http://env:3" }, readFile: withFiles }).addr).toBe("http://flag:4");
  });

  it("reads only the named config file, and names the file that is wrong", () => {
    const read = files({ "/x.yaml": "addr: http://x:5\n", "/bad.yaml": "adr: http://x\n", "/broken.yaml": "addr: [" });
    expect(resolveSettings({ ...base, flags: { config: "/x.yaml" }, readFile: read }).addr).toBe("http://x:5");
    expect(() => resolveSettings({ ...base, env: { HOURGLASS_CONFIG: "/none.yaml" }, readFile: read })).toThrow("config file /none.yaml does not exist");
    expect(() => resolveSettings({ ...base, flags: { config: "/bad.yaml" }, readFile: read })).toThrow(/\/bad.yaml: .*adr/);
    expect(() => resolveSettings({ ...base, flags: { config: "/broken.yaml" }, readFile: read })).toThrow(/\/broken.yaml: not valid YAML/);
  });
});
