/** Helpers for tests of code built on the engine. */
import { createTestDatabase, type TestDatabase } from "@hourglass/db/testing";
import { createCaller } from "./api/root.ts";
import { handleApiRequest } from "./api/http.ts";
import { ManualClock, type Clock } from "./clock.ts";
import { createEngine, type Engine } from "./engine.ts";
import { silentLogger } from "./logger.ts";

export { ManualClock };

export interface HttpResult {
  status: number;
  /** The procedure's result (`result.data`), or undefined on error. */
  data: any;
  /** The tRPC error (message, code, data.errorCode, data.issues), or undefined on success. */
  error: any;
}

export interface TestEngine {
  db: TestDatabase;
  engine: Engine;
  /** The tRPC API called in-process (validation included, no HTTP). */
  api: ReturnType<typeof createCaller>;
  /** The API over its real HTTP protocol, as curl would call it. */
  query(path: string, input?: unknown): Promise<HttpResult>;
  mutate(path: string, input?: unknown): Promise<HttpResult>;
  close(): Promise<void>;
}

export async function createTestEngine(options: { clock?: Clock } = {}): Promise<TestEngine> {
  const db = await createTestDatabase();
  const engine = createEngine({ db, clock: options.clock, logger: silentLogger });
  const send = async (req: Request): Promise<HttpResult> => {
    const res = await handleApiRequest(req, engine);
    const json = (await res.json()) as { result?: { data: unknown }; error?: unknown };
    return { status: res.status, data: json.result?.data, error: json.error };
  };
  return {
    db,
    engine,
    api: createCaller({ engine, caller: { id: "test" } }),
    query: (path, input) =>
      send(new Request(`http://127.0.0.1/api/trpc/${path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`)),
    mutate: (path, input) =>
      send(new Request(`http://127.0.0.1/api/trpc/${path}`, { method: "POST", body: JSON.stringify(input ?? null), headers: { "content-type": "application/json", "x-hourglass-caller": "tester" } })),
    close: () => db.drop(),
  };
}
