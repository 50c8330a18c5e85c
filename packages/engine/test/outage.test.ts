// Losing the database connection: a transaction whose connection dies fails
// cleanly (no unheard 'error' event ending the process), an outage is
// reported once, and the API answers 503 with Retry-After instead of 500.
import { createDatabase, isConnectionError, OutageMonitor } from "@hourglass/db";
import { createTestDatabase, testServerUrl, type TestDatabase } from "@hourglass/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleApiRequest } from "../src/api/http.ts";
import { createEngine } from "../src/engine.ts";
import { checkDatabase } from "../src/health.ts";
import { silentLogger } from "../src/logger.ts";
import { withTransaction } from "../src/transaction.ts";

let db: TestDatabase;
let admin: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase({ outageLog: () => {} });
  admin = new pg.Client({ connectionString: testServerUrl() });
  await admin.connect();
});

afterAll(async () => {
  await admin?.end();
  await db?.drop();
});

describe("a connection that dies", () => {
  it("inside a transaction fails that transaction with a connection error and does not crash the process", async () => {
    const uncaught: unknown[] = [];
    const record = (err: unknown) => uncaught.push(err);
    process.on("uncaughtException", record);
    try {
      const failed = withTransaction(db.pool, async (sql) => {
        const { pid } = (await sql.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!;
        // the server ends this session while the transaction is idle between statements (as a restart does)
        await admin.query("SELECT pg_terminate_backend($1)", [pid]);
        await new Promise((r) => setTimeout(r, 100)); // the socket closes: the client emits 'error' now
        await sql.query("SELECT 1");
      });
      const err = await failed.catch((e: unknown) => e);
      expect(isConnectionError(err), String(err)).toBe(true);
      // the dead connection was dropped, not handed to the next transaction
      for (let i = 0; i < 3; i++) await withTransaction(db.pool, (sql) => sql.query("SELECT 1"));
      expect(uncaught).toEqual([]);
    } finally {
      process.off("uncaughtException", record);
    }
  });
});

describe("OutageMonitor", () => {
  it("reports an outage once however many statements fail, and its end once", () => {
    const lines: string[] = [];
    const monitor = new OutageMonitor((level, message) => lines.push(`${level} ${message}`));
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    for (let i = 0; i < 50; i++) expect(monitor.failed(refused)).toBe(true);
    expect(monitor.failed(new Error('relation "nope" does not exist'))).toBe(false);
    monitor.ok();
    monitor.ok();
    expect(lines).toEqual(["warn database unavailable; retrying until it is back", "info database available again"]);
  });

  it("knows connection loss by socket code, SQLSTATE and pg's messages, through wrapping causes", () => {
    expect(isConnectionError(Object.assign(new Error("x"), { code: "57P01" }))).toBe(true);
    expect(isConnectionError(Object.assign(new Error("x"), { code: "08006" }))).toBe(true);
    expect(isConnectionError(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isConnectionError(new Error("wrapped", { cause: Object.assign(new Error("y"), { code: "ECONNRESET" }) }))).toBe(true);
    expect(isConnectionError(Object.assign(new Error("dup"), { code: "23505" }))).toBe(false);
  });
});

describe("the API while the database is away", () => {
  it("answers 503 DATABASE_UNAVAILABLE with Retry-After, not 500", async () => {
    // a port nothing listens on: every connection is refused
    const away = createDatabase("postgresql://postgres:postgres@127.0.0.1:1/hourglass", { outageLog: () => {} });
    const engine = createEngine({ db: away, logger: silentLogger });
    try {
      // a well-formed token: checking it needs the database, which is away
      const authorization = `Bearer hg_${"a".repeat(20)}_${"b".repeat(43)}`;
      const write = await handleApiRequest(new Request("http://127.0.0.1/api/trpc/queues.enqueueJobs", {
        method: "POST",
        headers: { "content-type": "application/json", authorization },
        body: JSON.stringify({ queueName: "q", jobs: [{ body: "x" }] }),
      }), engine);
      expect(write.status).toBe(503);
      expect(write.headers.get("retry-after")).toBe("1");
      const body = (await write.json()) as { error: { message: string; data: { errorCode: string } } };
      expect(body.error.data.errorCode).toBe("DATABASE_UNAVAILABLE");
      expect(body.error.message).toMatch(/database is unavailable/);
      const read = await handleApiRequest(new Request("http://127.0.0.1/api/trpc/queues.getQueueNames", { headers: { authorization } }), engine);
      expect(read.status).toBe(503);
      expect(away.outage.down).toBe(true);
      // readiness says so, without throwing
      expect(await checkDatabase(engine.ctx)).toMatchObject({ ok: false, error: expect.stringMatching(/ECONNREFUSED/) });
      expect(await checkDatabase(createEngine({ db, logger: silentLogger }).ctx)).toMatchObject({ ok: true });
    } finally {
      await away.close();
    }
  });
});
