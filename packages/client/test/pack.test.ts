// @hourglass/client as a user gets it: `pnpm pack`, checked by
// @arethetypeswrong/cli, installed with npm into a fresh project outside the
// workspace, a program type-checked against it with tsc (library checks on)
// and run against a real API server.
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startApiServer } from "./api-server.ts";
import { createTestEngine, type TestEngine } from "./engine.ts";

const run = promisify(execFile);
const pkg = join(import.meta.dirname, "..");
const tsc = join(pkg, "node_modules/typescript/bin/tsc");
const attw = join(pkg, "node_modules/@arethetypeswrong/cli/dist/index.js");
const work = mkdtempSync(join(tmpdir(), "hourglass-client-pack-"));
const project = join(work, "consumer");
let tarball: string;
let t: TestEngine;
let api: Awaited<ReturnType<typeof startApiServer>>;

beforeAll(async () => {
  t = await createTestEngine();
  api = await startApiServer(t);
  await run("pnpm", ["pack", "--pack-destination", work], { cwd: pkg });
  tarball = join(work, readdirSync(work).find((f) => f.endsWith(".tgz"))!);
  cpSync(join(pkg, "test/consumer"), project, { recursive: true });
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  writeFileSync(join(project, "tsconfig.json"), JSON.stringify({
    compilerOptions: {
      target: "ES2022", lib: ["ES2023", "DOM", "ESNext.Disposable"], module: "NodeNext", moduleResolution: "NodeNext",
      strict: true, skipLibCheck: false, outDir: "out", types: ["node"],
    },
    include: ["main.ts"],
  }));
  const types = ["@types/node@20"];
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", tarball, ...types], { cwd: project });
}, 240_000);

afterAll(async () => {
  await api?.close();
  await t?.close();
  rmSync(work, { recursive: true, force: true });
});

it("packs only dist/ and depends on @trpc/* alone", () => {
  const installed = join(project, "node_modules/@hourglass/client");
  const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
  expect(Object.keys(manifest.dependencies).sort()).toEqual(["@trpc/client", "@trpc/server"]);
  expect(manifest.devDependencies?.["@hourglass/engine"]).toBeUndefined();
  expect(manifest.exports["."]).toEqual({ types: "./dist/index.d.ts", default: "./dist/index.js" });
  expect(readdirSync(join(installed, "dist")).sort()).toEqual(["index.d.ts", "index.js"]);
  const types = readFileSync(join(installed, "dist/index.d.ts"), "utf8");
  expect(types).not.toMatch(/from ['"](?!@trpc\/)/);
  expect(types).toContain("enqueueJobs: _trpc_server.TRPCMutationProcedure");
});

it("has no type problems (@arethetypeswrong/cli), but that it is ESM only", async () => {
  // exits non-zero on any problem the esm-only profile counts
  const { stdout } = await run(process.execPath, [attw, tarball, "--profile", "esm-only", "--format", "json"], { cwd: work })
    .catch((err) => { throw new Error(`attw found problems:\n${err.stdout}`); });
  const kinds = (JSON.parse(stdout).analysis.problems as { kind: string }[]).map((p) => p.kind);
  // a CommonJS program reaches it through import(), as every ESM-only package
  expect(kinds.filter((k) => k !== "CJSResolvesToESM")).toEqual([]);
});

it("type-checks a program against the installed package and calls every router with it", { timeout: 240_000 }, async () => {
  // Library checks on: the package's declarations are checked as strictly as the program. What tsc says of
  // @trpc/server's own declarations (its ws adapter wants the ws package's types) is tRPC's, not ours.
  const { stdout: said } = await run(process.execPath, [tsc, "-p", project]).catch((err) => err);
  const ours = said.split("\n").filter((line: string) => / error TS/.test(line) && !line.includes("node_modules/@trpc/"));
  expect(ours).toEqual([]);
  expect(readdirSync(join(project, "out"))).toContain("main.js");
  const { stdout } = await run(process.execPath, [join(project, "out/main.js"), api.url, t.token], { cwd: project });
  const seen = JSON.parse(stdout);
  expect(seen).toEqual({
    created: true,
    jobDescriptors: [expect.stringMatching(/^packed:\d+$/)],
    pending: 1,
    schedulerJobs: 0,
    requestTypes: 0,
    me: "user:tester",
    notFound: "QUEUE_NOT_FOUND",
    invalid: ["PRIORITY_NOT_SUPPORTED", "jobs.0.priority"],
    anonymous: "unauthenticated 401",
  });
});
