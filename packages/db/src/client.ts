import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";
import { OutageMonitor, type OutageLog } from "./outage.ts";

export interface DatabaseOptions {
  /** Maximum connections in the shared pool (Prisma and hand-written SQL use the same pool). */
  poolMax?: number;
  /** Name reported in pg_stat_activity. */
  applicationName?: string;
  /**
   * Whether hot-path statements are prepared once per connection (default
   * true). Must be false on the embedded database: PGlite multiplexes every
   * connection onto one session, where a second connection preparing the same
   * statement name fails.
   */
  preparedStatements?: boolean;
  /** Where the one-line outage reports go (default: the console); see OutageMonitor. */
  outageLog?: OutageLog;
}

/** Runs hand-written SQL; `name` makes it a prepared statement where that is enabled. */
export interface Sql {
  query<R extends pg.QueryResultRow = any>(text: string, values?: unknown[], name?: string): Promise<pg.QueryResult<R>>;
}

/**
 * A connection to one Hourglass database: a `pg` pool for hand-written hot-path
 * SQL and a Prisma client over the same pool for everything else.
 */
export interface Database {
  readonly url: string;
  readonly pool: pg.Pool;
  /** Hot-path SQL over the pool (prepared statements when enabled). */
  readonly sql: Sql;
  readonly prisma: PrismaClient;
  /** Whether the database is reachable; loops report their errors to it and back off while it is down. */
  readonly outage: OutageMonitor;
  close(): Promise<void>;
}

// bigint (int8) and numeric come back as strings by default; ids stay strings
// on purpose (they exceed 2^53 in theory), counts are cast to int in SQL.
export function createDatabase(url: string, options: DatabaseOptions = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax ?? 10,
    // pg closes idle connections after 10 s by default; a scheduler's load comes in bursts a minute
    // apart, and a new connection costs an authentication handshake and its prepared statements
    idleTimeoutMillis: 5 * 60_000,
    // a server that does not answer at all (a dropped network) fails the connect instead of hanging the caller
    connectionTimeoutMillis: 10_000,
    application_name: options.applicationName ?? "hourglass",
  });
  const outage = new OutageMonitor(options.outageLog);
  // An idle client's error (e.g. the server restarting) must not crash the process;
  // the pool drops the client and the next query opens a new one.
  pool.on("error", (err) => outage.failed(err));
  pool.on("connect", () => outage.ok());
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const prepare = options.preparedStatements ?? true;
  const sql: Sql = {
    query: (text, values, name) => pool.query(prepare && name ? { name, text, values } : { text, values }),
  };
  let closed = false;
  return {
    url,
    pool,
    sql,
    prisma,
    outage,
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
