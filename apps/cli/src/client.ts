import type { AppRouter } from "@hourglass/engine/api";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import type { inferRouterOutputs } from "@trpc/server";
import type { CliSettings } from "./config.ts";

export type Api = ReturnType<typeof createApi>;
export type Outputs = inferRouterOutputs<AppRouter>;

/** The typed tRPC client for the Hourglass API at `settings.addr` (one HTTP call per procedure call). */
export function createApi(settings: CliSettings) {
  return createTRPCClient<AppRouter>({
    links: [httpLink({
      url: `${settings.addr}/api/trpc`,
      headers: settings.token ? { authorization: `Bearer ${settings.token}` } : {},
      fetch: (url, init) => fetch(url, { ...(init as RequestInit), signal: AbortSignal.timeout(settings.timeoutMs) }),
    })],
  });
}

/** A failed call as one line for people: the API's own message, or why the server could not be reached. */
export function describeError(err: unknown, addr: string): string {
  if (err instanceof TRPCClientError) {
    const status = (err.data as { httpStatus?: number } | undefined)?.httpStatus;
    if (status === undefined) {
      const cause = (err.cause as { cause?: { code?: string; message?: string }; name?: string; message?: string } | undefined);
      if (cause?.name === "TimeoutError") return `Hourglass at ${addr} did not answer in time`;
      const why = cause?.cause?.code ?? cause?.cause?.message ?? cause?.message ?? err.message;
      return `cannot reach Hourglass at ${addr}: ${why}`;
    }
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}
