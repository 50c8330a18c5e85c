// The check behind `pnpm db:check`: do prisma/schema.prisma and
// prisma/migrations/ describe the same database?
//
// Applies the migrations to one scratch database and the SQL Prisma derives
// from schema.prisma (`migrate diff --from-empty`) to another, then compares
// their catalogs: tables, columns, enums, indexes, keys and foreign keys.
// CHECK constraints and functions are hand-written in migrations because the
// schema language cannot express them, so they are not compared.
//
// Uses the Prisma 6 CLI with its wasm schema engine (`engine: "js"`) because
// Prisma 7's CLI needs a native engine that cannot be downloaded here.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { migrate } from "./migrate.ts";
import { recreateDatabase, dropDatabase } from "./testing/index.ts";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
const schemaPath = join(pkg, "..", "..", "prisma", "schema.prisma");

function schemaSql(serverUrl: string, childEnv: Record<string, string | undefined>): string {
  const dir = mkdtempSync(join(tmpdir(), "hourglass-drift-"));
  // Prisma 6 wants the url in the datasource block; Prisma 7 forbids it there.
  const schema = readFileSync(schemaPath, "utf8").replace(/datasource db \{/, 'datasource db {\n  url = env("DATABASE_URL")');
  writeFileSync(join(dir, "schema.prisma"), schema);
  writeFileSync(
    join(dir, "prisma.config.mjs"),
    `import { defineConfig } from ${JSON.stringify(join(pkg, "node_modules/prisma6/config.js"))};
import { PrismaPg } from ${JSON.stringify(join(pkg, "node_modules/adapter-pg6/dist/index.mjs"))};
export default defineConfig({
  engine: "js", experimental: { adapter: true }, schema: "schema.prisma",
  adapter: async () => new PrismaPg({ connectionString: ${JSON.stringify(serverUrl)} }),
});`,
  );
  const r = spawnSync(
    process.execPath,
    [join(pkg, "node_modules/prisma6/build/index.js"), "migrate", "diff", "--config", "prisma.config.mjs",
      "--from-empty", "--to-schema-datamodel", "schema.prisma", "--script"],
    { cwd: dir, encoding: "utf8", env: { ...childEnv, DATABASE_URL: serverUrl, PRISMA_QUERY_ENGINE_LIBRARY: "/bin/false" } },
  );
  if (r.status !== 0 || !r.stdout.includes("CREATE")) {
    throw new Error(`prisma migrate diff failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout.replace(/^Loaded Prisma config.*$/m, "");
}

const CATALOG = `
  SELECT 'column ' || table_name || '.' || column_name || ' ' || udt_name || ' null=' || is_nullable
         || ' default=' || coalesce(column_default, '-') || ' precision=' || coalesce(datetime_precision::text, '-') AS item
    FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
  UNION ALL
  SELECT 'enum ' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname
  UNION ALL
  SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'
  UNION ALL
  SELECT 'constraint ' || c.conrelid::regclass || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid)
    FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
   WHERE n.nspname = 'public' AND c.contype IN ('p', 'u', 'f') AND c.conrelid::regclass::text <> '"_prisma_migrations"'
     AND c.conrelid::regclass::text <> '_prisma_migrations'
  ORDER BY 1`;

async function catalog(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ item: string }>(CATALOG)).rows.map((r) => r.item);
  } finally {
    await client.end();
  }
}

/**
 * Compares the two databases' catalogs on `serverUrl` (it creates and drops
 * two scratch databases there). Returns the differences; empty means agreed.
 * `childEnv` is the environment for the Prisma CLI it runs (PATH and the like).
 */
export async function findSchemaDrift(serverUrl: string, childEnv: Record<string, string | undefined>): Promise<{ onlyInMigrations: string[]; onlyInSchema: string[]; compared: number }> {
  const fromMigrations = await recreateDatabase("hourglass_drift_migrations");
  const fromSchema = await recreateDatabase("hourglass_drift_schema");
  try {
    await migrate(fromMigrations);
    const client = new pg.Client({ connectionString: fromSchema });
    await client.connect();
    try {
      await client.query(schemaSql(serverUrl, childEnv));
    } finally {
      await client.end();
    }
    const a = new Set(await catalog(fromMigrations));
    const b = new Set(await catalog(fromSchema));
    return { onlyInMigrations: [...a].filter((x) => !b.has(x)), onlyInSchema: [...b].filter((x) => !a.has(x)), compared: a.size };
  } finally {
    await dropDatabase(serverUrl, "hourglass_drift_migrations");
    await dropDatabase(serverUrl, "hourglass_drift_schema");
  }
}
