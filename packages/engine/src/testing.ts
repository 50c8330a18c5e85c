/** Helpers for tests of code built on the engine. */
import { createTestDatabase, type TestDatabase } from "@hourglass/db/testing";
import type { ApiCaller } from "./access/host/caller.ts";
import { HeldScopes } from "./access/scopes.ts";
import { createCaller } from "./api/root.ts";
import { handleApiRequest } from "./api/http.ts";
import { ManualClock, type Clock } from "./clock.ts";
import { createEngine, type Engine } from "./engine.ts";
import { silentLogger } from "./logger.ts";

export { ManualClock };

/** A caller holding every scope, for tests that call the API in-process (`api`); the HTTP helpers authenticate for real. */
export function testCaller(id: string): ApiCaller {
  return { id, kind: "user", displayName: id, scopes: new HeldScopes(["*"]) };
}

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
  /**
   * The API over its real HTTP protocol, as curl would call it, as `user:tester`
   * (every scope) with an API token, or with `token` (another caller's, or null for none).
   */
  query(path: string, input?: unknown, token?: string | null): Promise<HttpResult>;
  mutate(path: string, input?: unknown, token?: string | null): Promise<HttpResult>;
  /** The token the HTTP helpers send by default. */
  token: string;
  close(): Promise<void>;
}

export async function createTestEngine(options: { clock?: Clock } = {}): Promise<TestEngine> {
  const db = await createTestDatabase();
  const engine = createEngine({ db, clock: options.clock, logger: silentLogger });
  await engine.access.principals.create({ kind: "user", name: "tester", scopes: ["*"], by: "test" });
  const { token } = await engine.access.credentials.createToken(testCaller("user:tester"), { principalId: "user:tester", name: "tests", scopes: ["*"] });
  const auth = (t: string | null | undefined): Record<string, string> => {
    const use = t === undefined ? token : t;
    return use ? { authorization: `Bearer ${use}` } : {};
  };
  const send = async (req: Request): Promise<HttpResult> => {
    const res = await handleApiRequest(req, engine);
    const json = (await res.json()) as { result?: { data: unknown }; error?: unknown };
    return { status: res.status, data: json.result?.data, error: json.error };
  };
  return {
    db,
    engine,
    api: createCaller({ engine, caller: testCaller("test") }),
    token,
    query: (path, input, t) => {
      const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
      return send(new Request(`http://127.0.0.1/api/trpc/${path}${query}`, { headers: auth(t) }));
    },
    mutate: (path, input, t) => send(new Request(`http://127.0.0.1/api/trpc/${path}`, {
      method: "POST", body: JSON.stringify(input ?? null), headers: { "content-type": "application/json", ...auth(t) },
    })),
    close: () => db.drop(),
  };
}
