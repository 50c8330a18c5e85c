// One writer per state machine, kept so: only chains/sql/ writes the request
// and chain_job tables (their state columns above all), and the SQL that
// enqueues chain jobs inside completeJob writes the same carrier text as the
// queue's internal API.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import type { Sql } from "@hourglass/db";
import { chainJobCarrierSql, decodeCarrier, encodeCarrier } from "../src/queue/carriers.ts";
import { createTestEngine } from "../src/testing.ts";

const SRC = join(import.meta.dirname, "..", "src");
const WRITES = /\b(UPDATE|INSERT\s+INTO|DELETE\s+FROM)\s+"?(request|chain_job)"?(?![_a-z])/gi;
const PRISMA_WRITES = /\.(request|chainJob)\.(update|updateMany|create|createMany|upsert|delete|deleteMany)\b/g;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

describe("the writers of requests and chain jobs", () => {
  it("are the statements in chains/sql/ and nothing else", () => {
    const outside: string[] = [];
    const inside = new Set<string>();
    for (const file of sources(SRC)) {
      const text = readFileSync(file, "utf8");
      const rel = relative(SRC, file);
      const hits = [...text.matchAll(WRITES), ...text.matchAll(PRISMA_WRITES)].map((m) => m[0]);
      if (hits.length === 0) continue;
      if (rel.startsWith(join("chains", "sql"))) inside.add(rel);
      else outside.push(`${rel}: ${hits.join(", ")}`);
    }
    expect(outside).toEqual([]);
    // the check sees the writers it is meant to see
    expect(inside).toContain(join("chains", "sql", "stopRequest.ts"));
    expect(inside).toContain(join("chains", "sql", "completeJob.ts"));
  });
});

describe("queue carriers", () => {
  it("encode and decode each kind, and refuse bodies of another kind or shape", () => {
    const body = encodeCarrier("chain_job", { requestId: "abc123", jobId: "j7" });
    expect(body).toBe('{"kind":"chain_job","requestId":"abc123","jobId":"j7"}');
    expect(decodeCarrier("chain_job", body)).toEqual({ requestId: "abc123", jobId: "j7" });
    expect(decodeCarrier("tick_timer", body)).toBeNull();
    const tick = { jobKey: "demo/nightly" };
    expect(decodeCarrier("tick_timer", encodeCarrier("tick_timer", tick))).toEqual(tick);
    const invocation = { invocationId: "42" };
    expect(decodeCarrier("invocation", encodeCarrier("invocation", invocation))).toEqual(invocation);
    expect(decodeCarrier("chain_job", '{"kind":"chain_job","requestId":"ABC","jobId":"j7"}')).toBeNull();
    expect(decodeCarrier("chain_job", "{not json")).toBeNull();
    expect(() => encodeCarrier("chain_job", { requestId: "a/b", jobId: "j1" })).toThrow();
  });

  it("decode the bodies written before carriers, so jobs queued across an upgrade still run", () => {
    expect(decodeCarrier("chain_job", "abc123/j7")).toEqual({ requestId: "abc123", jobId: "j7" });
    expect(decodeCarrier("chain_job", "abc123/j7/x")).toBeNull();
    expect(decodeCarrier("tick_timer", "tick:demo/nightly")).toEqual({ jobKey: "demo/nightly" });
    expect(decodeCarrier("invocation", "42")).toEqual({ invocationId: "42" });
    expect(decodeCarrier("invocation", "tick:demo/nightly")).toBeNull();
  });

  it("the chain-job carrier SQL writes exactly what encodeCarrier writes", async () => {
    const t = await createTestEngine();
    try {
      const sql: Sql = t.db.sql;
      const r = await sql.query<{ body: string }>(
        `SELECT ${chainJobCarrierSql("$1::text", "$2::text")} AS body`, ["r0abc9", "j12"]);
      expect(r.rows[0]!.body).toBe(encodeCarrier("chain_job", { requestId: "r0abc9", jobId: "j12" }));
    } finally {
      await t.close();
    }
  });
});
