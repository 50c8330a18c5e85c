// Property: no input makes the API answer 5xx, and an input it rejects (4xx)
// writes nothing. Every procedure of appRouter is walked (a new one is fuzzed
// without anyone listing it): a valid-shaped input is derived from its zod
// schema, one value or key is poisoned (wrong types, NUL, lone surrogates,
// huge numbers and numeric strings, forged ids and continuations, deep
// nesting, oversize strings), and it is sent through handleApiRequest:
// queries as GET ?input= and as POST (method override), mutations as POST.
// A failure prints fast-check's seed and path; pass them as { seed, path }
// to fc.assert to replay it.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { appRouter } from "../src/api/root.ts";
import {
  callRaw, createApiFixture, databaseFingerprint, JOB, QUEUE, type ApiFixture, type Via,
} from "./api-fixtures.ts";
import { deep, jsonSchemaOf, poisonAt, shaped, toJsonText, type Hint, type Poison } from "./input-arbitraries.ts";

/** Inputs per procedure: about 45 procedures × 30 inputs × 1-2 calls take some 20 s. */
const RUNS = 30;

interface Procedure {
  path: string;
  type: "query" | "mutation";
  input?: z.ZodType;
}

const PROCEDURES: Procedure[] = Object.entries(appRouter._def.procedures).map(([path, p]) => {
  const def = (p as unknown as { _def: { type: "query" | "mutation"; inputs: z.ZodType[] } })._def;
  return { path, type: def.type, input: def.inputs[0] };
});

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
  known = await databaseFingerprint(f.t);
});
afterAll(async () => {
  await f?.close();
});

const b64 = (s: string) => Buffer.from(s).toString("base64url");
const BIGINT_ID = "^[1-9][0-9]{0,18}$";

/** Fixture names for the fields that pick a row, so a poisoned input gets as far as the database. */
const hint: Hint = (key, schema) => {
  if (schema.type !== "string" && key !== "args") return undefined;
  if (key === "queueName" || (key === "name" && !schema.pattern)) return fc.constant(QUEUE);
  if (key === "jobDescriptor" || key === "jobDescriptors") {
    return fc.constantFrom(...f.descriptors, `${QUEUE}:9223372036854775807`);
  }
  if (schema.pattern?.includes("\\/")) return fc.constant(JOB);
  if (schema.pattern === "^[a-z0-9]{1,40}$") return fc.constant(f.requestId);
  if (schema.pattern === BIGINT_ID) return fc.constantFrom("1", "2", "9223372036854775807");
  if (key === "continuation") return fc.constantFrom("0", "-1", f.continuation);
  if (key === "bodyRegexToMatch") return fc.constantFrom("a", "^x.*");
  if (key === "project") return fc.constant("fuzz");
  if (key === "type" && schema.maxLength === 100) return fc.constant("deploy-app");
  if (key === "args") return fc.constant({ app: "demo" });
  if (schema.format === "uri") return fc.constant("https://example.test/hook");
  return undefined;
};

const BAD_TEXT = ["\u0000", "\ud800", "\udfff", "\udc00\ud800", "\ud83d"];
const HUGE_NUMBERS = [-1, 1.5, 1e308, -1e308, 2 ** 53, 2 ** 63, 8.64e15, 8.64e15 + 1, 253402300800000,
  Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
const HUGE_NUMERIC_STRINGS = ["9999999999999999999", "9223372036854775808", "9223372036854775807",
  "-9223372036854775809", "0", "-1", "00000000000000000001", "1".repeat(40), "1e400", "NaN", "Infinity", "0x10"];
/** Continuations a server never issued: times no Date or timestamptz holds, ids past bigint. */
const FORGED_CONTINUATIONS = ["9999999999999999:1", "-9999999999999999:1", "8640000000000001:1", "253402300800000:1",
  "0:9999999999999999999", "1:0", "1:"].map(b64);
const WRONG_TYPES = [null, true, false, [], {}, "", [null], { a: 1 }, 0];

const poison = (on: Poison["on"], change: (original: unknown) => unknown): Poison => ({ on, change });
const put = (v: unknown) => () => v;
const POISONS: fc.Arbitrary<Poison> = fc.oneof(
  // text PostgreSQL cannot store, inside a string or in place of it, or in a property name
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...BAD_TEXT), fc.nat()).map(([bad, at]) => poison("string", (o) => {
    if (typeof o !== "string") return bad; // no string in the input: the poison stands in for a value
    const i = at % (o.length + 1);
    return o.slice(0, i) + bad + o.slice(i);
  })) },
  { weight: 1, arbitrary: fc.constantFrom(...BAD_TEXT).map((bad) =>
    poison("key", (k) => (typeof k === "string" ? k + bad : bad))) },
  // numbers out of every range, and numeric strings past bigint in id-like strings
  { weight: 2, arbitrary: fc.constantFrom(...HUGE_NUMBERS).map((n) => poison("number", put(n))) },
  { weight: 3, arbitrary: fc.constantFrom(...HUGE_NUMERIC_STRINGS, ...FORGED_CONTINUATIONS).map((n) =>
    poison("string", put(n))) },
  { weight: 2, arbitrary: fc.constantFrom("9".repeat(19), "9223372036854775808", "99999999999999999999999").map((n) =>
    poison("string", (o) => (typeof o !== "string" ? n : o.includes(":") ? `${o.split(":")[0]}:${n}` : `${o}${n}`))) },
  // wrong types anywhere, nesting past the limit, oversize strings
  { weight: 2, arbitrary: fc.constantFrom(...WRONG_TYPES).map((v) => poison("any", put(v))) },
  { weight: 1, arbitrary: fc.constantFrom(deep(33, "a"), deep(33, "o"), deep(5000, "a"), deep(5000, "o")).map((d) =>
    poison("any", put(d))) },
  { weight: 1, arbitrary: fc.constantFrom(201, 4001, 100_001, 1_000_001).map((n) =>
    poison("string", put("x".repeat(n)))) },
  // whatever fast-check makes of strings and JSON
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 30 }).map((v) => poison("string", put(v))) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => poison("any", put(v))) },
);

/** A valid-shaped input for `p` with one value or key poisoned. */
const poisoned = (p: Procedure): fc.Arbitrary<unknown> =>
  fc.tuple(p.input ? shaped(jsonSchemaOf(p.input), hint) : fc.constant(undefined), fc.nat(), POISONS)
    .map(([v, i, poison]) => poisonAt(v, i, poison));

/** The database as the last call left it (one fingerprint per call, not two). */
let known: string;

async function sendAndCheck(p: Procedure, via: Via, input: unknown): Promise<void> {
  const text = toJsonText(input);
  const r = await callRaw(f.t, p.path, via, text);
  const what = `${via} ${p.path} ${text?.slice(0, 300)} -> ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`;
  const before = known;
  known = await databaseFingerprint(f.t);
  expect(r.status, what).toBeLessThan(500);
  if (r.status >= 400) {
    expect(typeof r.json.error?.message, what).toBe("string");
    expect(known, `${what}: a rejected call changed the database`).toBe(before);
  }
}

describe("every procedure, poisoned inputs over HTTP", () => {
  it("covers every router", () => {
    const routers = new Set(PROCEDURES.map((p) => p.path.split(".")[0]));
    expect([...routers].sort()).toEqual(Object.keys(appRouter._def.record).sort());
    expect(PROCEDURES.length).toBeGreaterThan(40);
  });

  it.each(PROCEDURES.filter((p) => p.input).map((p) => [p.path, p] as const))(
    "valid-shaped inputs for %s pass its schema (so the poison is the one fault)",
    (_, p) => {
      const samples = fc.sample(shaped(jsonSchemaOf(p.input!), hint), 300);
      expect(samples.filter((s) => p.input!.safeParse(s).success).length).toBeGreaterThan(0);
    },
  );

  it.each(PROCEDURES.map((p) => [p.path, p] as const))("%s: never 5xx, and a 4xx writes nothing", async (_, p) => {
    const vias: Via[] = p.type === "query" ? ["GET", "POST"] : ["POST"];
    await fc.assert(
      fc.asyncProperty(poisoned(p), async (input) => {
        for (const via of vias) await sendAndCheck(p, via, input);
      }),
      { numRuns: RUNS },
    );
  }, 30_000);
});
