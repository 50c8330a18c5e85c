import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { createDatabase, type Database, type DatabaseOptions } from "../client.ts";
import { migrate, listMigrations, MIGRATIONS_DIR } from "../migrate.ts";

/** Server the test suite uses: TEST_DATABASE_URL, or the local PostgreSQL that `npm test` starts. */
export function testServerUrl(): string {
  return process.env.TEST_DATABASE_URL ?? "postgresql://postgres:postgres@127.0.0.1:5432/postgres";
}

export interface TestDatabase extends Database {
  /** Drops the database (closing this handle first). */
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A template per migration set: editing migrations makes a new template, never a stale one. */
function templateName(): string {
  const hash = createHash("sha256");
  for (const m of listMigrations()) hash.update(m).update(readFileSync(join(MIGRATIONS_DIR, m, "migration.sql")));
  return `hourglass_tpl_${hash.digest("hex").slice(0, 12)}`;
}

async function ensureTemplate(admin: pg.Client, serverUrl: string): Promise<string> {
  const name = templateName();
  await admin.query("SELECT pg_advisory_lock(72707370)");
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE "${name}"`);
      try {
        await migrate(withDatabase(serverUrl, name));
      } catch (err) {
        await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
        throw err;
      }
    }
  } finally {
    await admin.query("SELECT pg_advisory_unlock(72707370)");
  }
  return name;
}

/**
 * A fresh, migrated database on the test server, cloned from a template
 * (one per test file is the intended use). Real PostgreSQL, never a mock.
 */
export async function createTestDatabase(options: DatabaseOptions = {}): Promise<TestDatabase> {
  const serverUrl = testServerUrl();
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const name = `hourglass_test_${randomBytes(6).toString("hex")}`;
  try {
    const template = await ensureTemplate(admin, serverUrl);
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await admin.end();
  }
  const db = createDatabase(withDatabase(serverUrl, name), options);
  return {
    ...db,
    close: db.close,
    async drop() {
      await db.close();
      await dropDatabase(serverUrl, name);
    },
  };
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** An empty database with the given name on the test server (dropped first if present); returns its URL. */
export async function recreateDatabase(name: string): Promise<string> {
  const serverUrl = testServerUrl();
  await dropDatabase(serverUrl, name);
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return withDatabase(serverUrl, name);
}
export { PostgresServer } from "./pg-server.ts";
