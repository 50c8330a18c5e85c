// The benchmark's own PostgreSQL (PostgresServer: a private cluster it may
// restart) and one fresh migrated database per scenario, cloned from a
// template migrated once.
import { createDatabase, migrate, type Database } from "@hourglass/db";
import { PostgresServer } from "@hourglass/db/testing";
import { createEngine, silentLogger, type Caller, type Engine } from "@hourglass/engine";
import pg from "pg";

/** Who the benchmark is to the engine (it calls the engine directly, as bench:scheduler does, not through the API). */
export const CALLER: Caller = { id: "chaos" };

export interface ScenarioDatabase {
  url: string;
  db: Database;
  engine: Engine;
  /** A query that waits out a restart (retries connection errors for up to 30 s). */
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

const TEMPLATE = "chaos_template";

export class ChaosServer {
  private constructor(readonly pg: PostgresServer) {}

  static async start(): Promise<ChaosServer> {
    const server = await PostgresServer.start();
    await migrate(await server.createDatabase(TEMPLATE));
    return new ChaosServer(server);
  }

  async database(name: string): Promise<ScenarioDatabase> {
    const admin = new pg.Client({ connectionString: this.pg.url() });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE}"`);
    } finally {
      await admin.end();
    }
    const url = this.pg.url(name);
    const db = createDatabase(url, { poolMax: 4, outageLog: () => {} });
    const engine = createEngine({ db, logger: silentLogger });
    return {
      url, db, engine,
      async query(text, values) {
        const deadline = Date.now() + 30_000;
        for (;;) {
          try {
            return (await db.sql.query(text, values)).rows;
          } catch (err) {
            if (!db.outage.failed(err) || Date.now() > deadline) throw err;
            await new Promise((r) => setTimeout(r, 200));
          }
        }
      },
      close: () => db.close(),
    };
  }

  destroy(): Promise<void> {
    return this.pg.destroy();
  }
}
