import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { Engine } from "../engine.ts";
import { appRouter } from "./root.ts";

export const TRPC_ENDPOINT = "/api/trpc";

/**
 * Serves the API over tRPC's HTTP protocol (plain JSON: GET ?input= for
 * queries, POST for mutations). The caller's identity comes from the
 * x-hourglass-caller header until access control lands.
 */
export function handleApiRequest(req: Request, engine: Engine, onError?: (message: string) => void): Promise<Response> {
  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req,
    router: appRouter,
    createContext: () => ({ engine, caller: { id: req.headers.get("x-hourglass-caller")?.slice(0, 200) || "api" } }),
    onError: ({ error, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") onError?.(`${path ?? "?"}: ${error.message}`);
    },
  });
}
