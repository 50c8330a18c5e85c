// The OpenAPI document as a program in another toolchain uses it: types
// generated from it with openapi-typescript, a program calling one procedure
// of each router with plain fetch, type-checked against those types and run
// against a real API server.
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import openapiTS, { astToString } from "openapi-typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter, openApiDocument } from "../../engine/src/api/root.ts";
import { startApiServer } from "./api-server.ts";
import { createTestEngine, type TestEngine } from "./engine.ts";

const run = promisify(execFile);
const tsc = join(import.meta.dirname, "../node_modules/typescript/bin/tsc");
const project = mkdtempSync(join(tmpdir(), "hourglass-openapi-"));
const doc = openApiDocument(appRouter);
let t: TestEngine;
let api: Awaited<ReturnType<typeof startApiServer>>;

beforeAll(async () => {
  t = await createTestEngine();
  api = await startApiServer(t);
});

afterAll(async () => {
  await api?.close();
  await t?.close();
  rmSync(project, { recursive: true, force: true });
});

describe("the document", () => {
  it("has one operation per procedure at its tRPC path: GET for queries, POST for mutations", () => {
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
    expect(Object.keys(doc.paths).sort()).toEqual(Object.keys(procedures).map((p) => `/api/trpc/${p}`).sort());
    for (const [path, p] of Object.entries(procedures)) {
      expect(Object.keys(doc.paths[`/api/trpc/${path}`]!)).toEqual([p._def.type === "query" ? "get" : "post"]);
    }
  });

  it("takes its input schemas from the zod schemas", () => {
    expect(doc.components.schemas["queues.enqueueJobs.input"]).toMatchObject({
      type: "object",
      required: ["queueName", "jobs"],
      properties: { jobs: { maxItems: 10000, items: { required: ["body"], properties: { priority: { minimum: 1, maximum: 3 } } } } },
    });
    expect(doc.paths["/api/trpc/access.whoami"]!.get).toMatchObject({ security: [{}, { bearerAuth: [] }, { sessionCookie: [] }] });
  });
});

it("generates types with openapi-typescript that type-check a fetch program calling every router", { timeout: 180_000 }, async () => {
  // defaultNonNullable off: a field with a default may be left out of an input (openapi-typescript's default
  // would make it required; the README says to pass --default-non-nullable false)
  const types = astToString(await openapiTS(JSON.parse(JSON.stringify(doc)), { defaultNonNullable: false }));
  cpSync(join(import.meta.dirname, "openapi-consumer"), project, { recursive: true });
  writeFileSync(join(project, "api.ts"), types);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "openapi-consumer", private: true, type: "module" }));
  writeFileSync(join(project, "tsconfig.json"), JSON.stringify({
    compilerOptions: {
      target: "ES2022", lib: ["ES2023", "DOM"], module: "NodeNext", moduleResolution: "NodeNext", strict: true,
      allowImportingTsExtensions: true, rewriteRelativeImportExtensions: true, outDir: "out", types: [],
    },
    include: ["main.ts", "api.ts"],
  }));
  const checked = await run(process.execPath, [tsc, "-p", project]).then(() => "", (err) => String(err.stdout));
  expect(checked).toBe("");
  const { stdout } = await run(process.execPath, [join(project, "out/main.js"), api.url, t.token]);
  expect(JSON.parse(stdout)).toEqual({
    created: true, count: 1, jobs: true, specs: "object", me: "user:tester", refused: "400 PRIORITY_NOT_SUPPORTED",
  });
});
