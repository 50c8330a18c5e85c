"use client";
import type { AppRouter } from "@hourglass/engine/api";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState, type ReactNode } from "react";

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

/** How often open pages refetch: updates appear without a reload. */
export const LIVE_MS = 1500;

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            refetchInterval: LIVE_MS,
            staleTime: 500,
            retry: (count, err) => count < 2 && !(err instanceof TRPCClientError && err.data?.httpStatus < 500),
          },
        },
      }),
  );
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: "/api/trpc", maxItems: 25, headers: { "x-hourglass-caller": "dashboard" } })],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}

/** The message to show for a failed call (the API's messages are written for people). */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
