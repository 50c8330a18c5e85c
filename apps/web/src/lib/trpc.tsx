"use client";
import type { AppRouter } from "@hourglass/engine/api";
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState, type ReactNode } from "react";
import { LiveProvider } from "./live";
import { isNotFound } from "./not-found";
import { SIGN_IN_PATH, signInUrl } from "./sign-in-paths";

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

/** Whether `err` is the API's 401: no session, or one that expired or was ended; the user must sign in again. */
export function isNotSignedIn(err: unknown): boolean {
  return err instanceof TRPCClientError && err.data?.httpStatus === 401;
}

let leaving = false;

/**
 * The page is going elsewhere on purpose (signing out): the 401s its queries
 * meet meanwhile must not send it to sign in with a way back. `false` undoes
 * it (the sign-out failed and the session is still there).
 */
export function setLeaving(value: boolean): void {
  leaving = value;
}

/**
 * Any query or mutation the API refuses with 401 (the session expired or was
 * ended elsewhere) sends the browser to the sign-in page, which comes back
 * here afterwards. A full load, so nothing of the old session stays cached.
 */
function toSignInWhenNotSignedIn(err: unknown): void {
  if (leaving || !isNotSignedIn(err) || window.location.pathname === SIGN_IN_PATH) return;
  leaving = true;
  window.location.assign(signInUrl(window.location.pathname + window.location.search));
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({ onError: toSignInWhenNotSignedIn }),
        mutationCache: new MutationCache({ onError: toSignInWhenNotSignedIn }),
        defaultOptions: {
          queries: {
            // no refetchInterval: pages refetch when the event log says their data changed (useLive)
            staleTime: 500,
            retry: (count, err) => count < 2 && !(err instanceof TRPCClientError && err.data?.httpStatus < 500),
            // a resource that does not exist is not asked for again until an event says it changed
            refetchOnWindowFocus: (q) => !isNotFound(q.state.error),
            refetchOnReconnect: (q) => !isNotFound(q.state.error),
          },
        },
      }),
  );
  // the caller is whoever the session cookie names (the browser sends it with every call)
  const [trpcClient] = useState(() => createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "/api/trpc", maxItems: 25 })] }));
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <LiveProvider>{children}</LiveProvider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}

/** The message to show for a failed call (the API's messages are written for people). */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
