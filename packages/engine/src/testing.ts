/** Helpers for tests of code built on the engine. */
import { createTestDatabase, type TestDatabase } from "@hourglass/db/testing";
import { ManualClock, type Clock } from "./clock.ts";
import { createEngine, type Engine } from "./engine.ts";
import { silentLogger } from "./logger.ts";
import { createCaller } from "./api/root.ts";

export { ManualClock };

export interface TestEngine {
  db: TestDatabase;
  engine: Engine;
  /** The tRPC API called in-process, exactly as over HTTP (validation and error mapping included). */
  api: ReturnType<typeof createCaller>;
  close(): Promise<void>;
}

export async function createTestEngine(options: { clock?: Clock } = {}): Promise<TestEngine> {
  const db = await createTestDatabase();
  const engine = createEngine({ db, clock: options.clock, logger: silentLogger });
  return { db, engine, api: createCaller({ engine, caller: { id: "test" } }), close: () => db.drop() };
}
