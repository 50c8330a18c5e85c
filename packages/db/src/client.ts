import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";

export interface DatabaseOptions {
  /** Maximum connections in the shared pool (Prisma and hand-written SQL use the same pool). */
  poolMax?: number;
  /** Name reported in pg_stat_activity. */
  applicationName?: string;
}

/**
 * A connection to one Hourglass database: a `pg` pool for hand-written hot-path
 * SQL and a Prisma client over the same pool for everything else.
 */
export interface Database {
  readonly url: string;
  readonly pool: pg.Pool;
  readonly prisma: PrismaClient;
  close(): Promise<void>;
}

// bigint (int8) and numeric come back as strings by default; ids stay strings
// on purpose (they exceed 2^53 in theory), counts are cast to int in SQL.
export function createDatabase(url: string, options: DatabaseOptions = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax ?? 10,
    application_name: options.applicationName ?? "hourglass",
  });
  // An idle client's error (e.g. the server restarting) must not crash the process;
  // the pool drops the client and the next query opens a new one.
  pool.on("error", () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  let closed = false;
  return {
    url,
    pool,
    prisma,
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
