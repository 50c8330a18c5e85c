import { z } from "zod";
import { epochMillis } from "../bounds.ts";
import { requestArgs } from "../request-args.ts";
import { REQUEST_STATES } from "./states.ts";

const requestId = z.string().regex(/^[a-z0-9]{1,40}$/, "a request id is lowercase letters and digits");

export { requestArgs };

export const createRequestInput = z.object({
  type: z.string().min(1, "say which request type").max(100),
  args: requestArgs.default({}),
  /** Start the request right away (Spin Cycle's CLI `start` does both). */
  start: z.boolean().default(false),
});
export type CreateRequestInput = z.infer<typeof createRequestInput>;

const jobId = z.string().regex(/^j[1-9][0-9]{0,5}$/, "a job id is j<number>");

export const requestIdInput = z.object({ id: requestId });
/** Stop, suspend, resume: the request, and why (recorded in its history and the audit log). */
export const requestActionInput = z.object({ id: requestId, reason: z.string().max(500).default("") });
export const logInput = z.object({ requestId, jobId: jobId.optional() });

/** A page of history: events after `after` (the previous page's `next`), oldest first. */
const historyPage = {
  after: z.string().regex(/^[0-9]{1,19}$/, "after is the previous page's next").optional(),
  limit: z.int().min(1).max(500).default(100),
};
export const historyInput = z.object({ id: requestId, ...historyPage });
export type HistoryInput = z.infer<typeof historyInput>;
export const jobHistoryInput = z.object({ id: requestId, jobId, ...historyPage });
export type JobHistoryInput = z.infer<typeof jobHistoryInput>;
export const runningInput = z.object({ requestId: requestId.optional() });

export const findRequestsInput = z.object({
  type: z.string().max(100).optional(),
  states: z.array(z.enum(REQUEST_STATES)).max(6).default([]),
  user: z.string().max(200).optional(),
  /** Requests whose args include all of these (exact values). */
  args: requestArgs.default({}),
  /** Epoch millis: requests running at any point in [since, until]. */
  since: epochMillis().optional(),
  until: epochMillis().optional(),
  limit: z.int().min(1).max(500).default(50),
  offset: z.int().min(0).max(1_000_000).default(0),
}).refine((f) => f.since === undefined || f.until === undefined || f.since <= f.until, "since must not be after until");
export type FindRequestsInput = z.infer<typeof findRequestsInput>;

/** Retry a failed request from its failed jobs; the reason goes in its history. */
export const retryRequestInput = z.object({ id: requestId, reason: z.string().trim().max(500).default("") });

/**
 * The filter of a bulk action or count: find's, with the request type
 * required (the scope to act is per type, and one call is one access check).
 */
export const requestBulkFilter = z.object({
  type: z.string().min(1, "name the request type to act on").max(100),
  states: z.array(z.enum(REQUEST_STATES)).max(6).default([]),
  user: z.string().max(200).optional(),
  args: requestArgs.default({}),
  since: epochMillis().optional(),
  until: epochMillis().optional(),
}).refine((f) => f.since === undefined || f.until === undefined || f.since <= f.until, "since must not be after until");

/** A bounded count of the requests a filter matches ("10,000+"). */
export const countRequestsInput = z.object({ filter: requestBulkFilter, cap: z.int().min(1).max(10_000).default(10_000) });

/** At most this many requests per selection or batch (each is its own transaction). */
export const MAX_REQUEST_BATCH = 100;

const bulkRequestShape = {
  ids: z.array(requestId).min(1, "ids is empty").max(MAX_REQUEST_BATCH, `at most ${MAX_REQUEST_BATCH} requests per selection`).optional(),
  filter: requestBulkFilter.optional(),
  limit: z.int().min(1).max(MAX_REQUEST_BATCH).default(50),
  /** The `next` of the batch before. */
  after: z.string().regex(/^[0-9]{1,16}\.[a-z0-9]{1,40}$/, "after is the previous batch's next").optional(),
};
const oneTarget = [
  (v: { ids?: unknown; filter?: unknown }) => (v.ids === undefined) !== (v.filter === undefined),
  { message: "name ids (a selection) or a filter, one of them" },
] as const;

/** Stop and suspend many: the reason is required (it is shown on each request's page with who did it). */
export const bulkRequestActionInput = z.object({
  ...bulkRequestShape, reason: z.string().trim().min(1, "say why").max(500),
}).refine(...oneTarget);
/** Resume many: the reason is optional. */
export const bulkResumeInput = z.object({ ...bulkRequestShape, reason: z.string().trim().max(500).default("") }).refine(...oneTarget);
export type BulkRequestActionInput = z.infer<typeof bulkRequestActionInput>;
