import { TRPCClientError } from "@trpc/client";

/**
 * Whether `err` is the API's "does not exist" (which is also what a resource
 * the caller may not see answers). Such a page shows "not found" and its
 * query is not fetched again on focus or reconnect: only an event about the
 * resource (it was created after all) refetches it.
 */
export function isNotFound(err: unknown): boolean {
  return err instanceof TRPCClientError && err.data?.code === "NOT_FOUND";
}
