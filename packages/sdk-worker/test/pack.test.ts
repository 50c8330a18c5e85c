// @hourglass/sdk-worker as a user gets it: `pnpm pack`, installed with npm
// into a fresh project outside the workspace, a worker program type-checked
// against it with tsc (library checks on) and run against a test database.
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestEngine, type TestEngine } from "./helpers.ts";

const run = promisify(execFile);
const pkg = join(import.meta.dirname, "..");
const tsc = join(pkg, "node_modules/typescript/bin/tsc");
const work = mkdtempSync(join(tmpdir(), "hourglass-sdk-worker-pack-"));
const project = join(work, "consumer");
let tarball: string;
let t: TestEngine;

beforeAll(async () => {
  t = await createTestEngine();
  await run("pnpm", ["pack", "--pack-destination", work], { cwd: pkg });
  tarball = join(work, readdirSync(work).find((f) => f.endsWith(".tgz"))!);
  cpSync(join(pkg, "test/consumer"), project, { recursive: true });
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  writeFileSync(join(project, "tsconfig.json"), JSON.stringify({
    compilerOptions: {
      target: "ES2022", lib: ["ES2023", "DOM"], module: "NodeNext", moduleResolution: "NodeNext",
      strict: true, skipLibCheck: false, outDir: "out", types: ["node"],
    },
    include: ["main.ts"],
  }));
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", tarball, "@types/node@20"], { cwd: project });
}, 600_000);

afterAll(async () => {
  await t?.close();
  rmSync(work, { recursive: true, force: true });
});

it("packs dist/ only, with npm dependencies and no workspace package", () => {
  const installed = join(project, "node_modules/@hourglass/sdk-worker");
  const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
  expect(Object.keys(manifest.dependencies).filter((d) => d.startsWith("@hourglass/"))).toEqual([]);
  expect(manifest.exports).toEqual({ ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } });
  expect(readdirSync(join(installed, "dist")).sort()).toEqual(["index.d.ts", "index.js"]);
  expect(readFileSync(join(installed, "dist/index.d.ts"), "utf8")).not.toMatch(/from ['"]/);
});

it("type-checks a worker program against the installed package and runs a job with it", { timeout: 240_000 }, async () => {
  await t.api.queues.createQueue({ name: "packed", executor: { kind: "handler", name: "packed" } });
  const { jobDescriptors: [d] } = await t.api.queues.enqueueJobs({ queueName: "packed", jobs: [{ body: "parcel" }] });
  const { stdout: said } = await run(process.execPath, [tsc, "-p", project]).catch((err) => err);
  const ours = said.split("\n").filter((line: string) => / error TS/.test(line) && !line.includes("node_modules/"));
  expect(ours).toEqual([]);
  const { stdout } = await run(process.execPath, [join(project, "out/main.js"), t.db.url], { cwd: project });
  expect(JSON.parse(stdout)).toEqual({
    descriptor: d, body: "parcel", attempt: 1, aborted: false, status: true, kept: true,
    refused: "queues is required over the API (the queues to dequeue from)",
    stats: expect.objectContaining({ claimed: 1, succeeded: 1, failed: 0 }),
  });
  const info = (await t.api.queues.lookupJobs({ jobDescriptors: [d!] }))[d!]!;
  expect(info).toMatchObject({ jobState: "SUCCEEDED", customStatus: "half way" });
});
