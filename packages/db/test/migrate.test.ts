import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { listMigrations, migrate, MIGRATIONS_DIR } from "../src/migrate.ts";
import { dropDatabase, recreateDatabase, testServerUrl } from "../src/testing/index.ts";

const name = `hourglass_migrate_${process.pid}`;
afterAll(() => dropDatabase(testServerUrl(), name));

describe("migrate", () => {
  it("applies every migration once, in Prisma's bookkeeping format, and refuses edited ones", async () => {
    const url = await recreateDatabase(name);
    expect(await migrate(url)).toEqual(listMigrations());
    expect(await migrate(url)).toEqual([]);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const rows = (await client.query(`SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`)).rows;
      const first = listMigrations()[0]!;
      const sql = readFileSync(join(MIGRATIONS_DIR, first, "migration.sql"));
      expect(rows[0]).toMatchObject({ migration_name: first, checksum: createHash("sha256").update(sql).digest("hex") });
      expect(rows[0].finished_at).toBeInstanceOf(Date);

      await client.query(`UPDATE "_prisma_migrations" SET checksum = 'edited' WHERE migration_name = $1`, [first]);
      await expect(migrate(url)).rejects.toThrow(/was edited after it was applied/);
    } finally {
      await client.end();
    }
  });
});
