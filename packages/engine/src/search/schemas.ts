import { z } from "zod";

/**
 * What the global search finds. Each kind is looked up by what names it:
 * ids exactly (primary keys), names by substring in the small catalogues.
 * Taskcluster tasks (issue 14) join as "task": a source in sources.ts and
 * its visibility in api/search.ts.
 */
export const SEARCH_KINDS = ["request", "invocation", "queue_job", "queue", "scheduler_job", "project"] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export const searchFindInput = z.object({
  /** An id ("42", "emails:42", a request id) or part of a name ("emails", "demo/nightly"). */
  q: z.string().trim().min(1, "type something to search for").max(200, "a search is at most 200 characters"),
  /** Only these kinds (default: all). */
  kinds: z.array(z.enum(SEARCH_KINDS, { error: () => `not a kind; one of ${SEARCH_KINDS.join(", ")}` }))
    .max(SEARCH_KINDS.length).optional(),
  /** Hits per kind. */
  limit: z.int().min(1, "limit is at least 1").max(20, "limit is at most 20").default(5),
});
export type SearchFindInput = z.infer<typeof searchFindInput>;
