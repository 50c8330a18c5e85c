import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { Engine } from "../engine.ts";
import { bufferBoundedBody, DEFAULT_MAX_REQUEST_BYTES, requestTooLarge, unreadableBody } from "./request-size.ts";
import { isHourglassError } from "../errors.ts";
import { credentialsOf } from "./credentials-of.ts";
import { checkRequest, type RequestPolicy } from "./request-guard.ts";
import { appRouter } from "./root.ts";

export const TRPC_ENDPOINT = "/api/trpc";

/** Calls one batched request may carry (the dashboard's link sends at most this many). */
export const MAX_BATCH_SIZE = 25;

export interface ApiOptions {
  /** Hosts the API answers as, beyond loopback (see RequestPolicy); the default is loopback only. */
  policy?: RequestPolicy;
  /** Largest request body accepted, in bytes (default DEFAULT_MAX_REQUEST_BYTES); larger ones get 413. */
  maxRequestBytes?: number;
  /** Told "<procedure>: <message>" for each internal error (500). */
  onError?: (message: string) => void;
}

/**
 * Serves the API over tRPC's HTTP protocol (plain JSON: GET ?input= for
 * queries, POST for mutations; a query may also be POSTed with a JSON body,
 * for inputs too long for a URL). The body is read, up to the limit, before
 * tRPC sees it, and the request guard (Host, cross-site writes, JSON
 * bodies) before that. The caller's identity comes from the x-hourglass-caller
 * header until access control lands.
 */
export async function handleApiRequest(req: Request, engine: Engine, options: ApiOptions = {}): Promise<Response> {
  const refused = checkRequest(req, options.policy ?? { allowedHosts: [] }, { apiCall: true });
  if (refused) return refused;
  const maxBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  let bounded: Request | null;
  try {
    bounded = await bufferBoundedBody(req, maxBytes);
  } catch (err) {
    return unreadableBody(err);
  }
  if (!bounded) return requestTooLarge(maxBytes);
  let caller;
  try {
    caller = await engine.access.credentials.authenticate(credentialsOf(req));
  } catch (err) {
    return refusedCredentials(err, engine);
  }
  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req: bounded,
    router: appRouter,
    allowMethodOverride: true,
    maxBatchSize: MAX_BATCH_SIZE,
    createContext: () => ({ engine, caller }),
    // a call refused because the database is away says when to try again
    responseMeta: ({ errors }) =>
      errors.some((e) => e.code === "SERVICE_UNAVAILABLE") ? { headers: new Headers({ "retry-after": "1" }) } : {},
    onError: ({ error, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") options.onError?.(`${path ?? "?"}: ${error.message}`);
    },
  });
}

/** Credentials that do not authenticate: 401 (or 503 when the database could not be asked). */
export function refusedCredentials(err: unknown, engine: Engine): Response {
  const status = isHourglassError(err) && err.code === "UNAUTHENTICATED" ? 401 : engine.ctx.db.outage.failed(err) ? 503 : 0;
  if (status === 0) throw err;
  const errorCode = status === 401 ? "UNAUTHENTICATED" : "DATABASE_UNAVAILABLE";
  const message = status === 401 ? (err as Error).message : "the database is unavailable (restarting or unreachable); retry shortly";
  const code = status === 401 ? "UNAUTHORIZED" : "SERVICE_UNAVAILABLE";
  return Response.json({ error: { message, code: -32001, data: { code, httpStatus: status, errorCode } } },
    { status, headers: status === 503 ? { "retry-after": "1" } : {} });
}
