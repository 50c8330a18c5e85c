import type { AppRouter } from "@hourglass/engine/api";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import type { inferRouterOutputs } from "@trpc/server";
import type { CliSettings } from "./config.ts";
import { NOT_SIGNED_IN } from "./failure.ts";
import { sessionCookieHeader } from "./session.ts";

export type Api = ReturnType<typeof createApi>;
export type Outputs = inferRouterOutputs<AppRouter>;

/**
 * The typed tRPC client for the Hourglass API at `settings.addr` (one HTTP
 * call per procedure call), sending the settings' token, or instead a
 * session's cookie (`login` between signing in and holding a token).
 */
export function createApi(settings: CliSettings, credentials: { session?: string } = {}) {
  const headers: Record<string, string> = {};
  if (credentials.session) headers.cookie = sessionCookieHeader(credentials.session);
  else if (settings.token) headers.authorization = `Bearer ${settings.token}`;
  return createTRPCClient<AppRouter>({
    links: [httpLink({
      url: `${settings.addr}/api/trpc`,
      headers,
      fetch: (url, init) => fetch(url, { ...(init as RequestInit), signal: AbortSignal.timeout(settings.timeoutMs) }),
    })],
  });
}

/** The HTTP status of a failed API call, or undefined when the server did not answer. */
export function httpStatusOf(err: unknown): number | undefined {
  return err instanceof TRPCClientError ? (err.data as { httpStatus?: number } | undefined)?.httpStatus : undefined;
}

/**
 * A failed call as one line for people: the API's own message, or why the
 * server could not be reached; any 401 (no, expired or revoked credentials)
 * says to sign in.
 */
export function describeError(err: unknown, addr: string): string {
  if (err instanceof TRPCClientError) {
    const status = (err.data as { httpStatus?: number } | undefined)?.httpStatus;
    if (status === undefined) {
      const cause = (err.cause as { cause?: { code?: string; message?: string }; name?: string; message?: string } | undefined);
      if (cause?.name === "TimeoutError") return `Hourglass at ${addr} did not answer in time`;
      const why = cause?.cause?.code ?? cause?.cause?.message ?? cause?.message ?? err.message;
      return `cannot reach Hourglass at ${addr}: ${why}`;
    }
    if (status === 401) return NOT_SIGNED_IN;
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}
