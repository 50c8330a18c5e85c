import { z } from "zod";
import { bigintIdString, epochMillis, MIN_EPOCH_MILLIS } from "../bounds.ts";
import { BACKFILL_OVERLAPS } from "./backfill-states.ts";

const jobKey = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,99}\/[a-z0-9][a-z0-9_-]{0,99}$/, 'a job is named "<project>/<job>"');
const cursor = z.string().max(200).optional();

export const getJobsInput = z.object({ project: z.string().max(100).optional(), cursor, pageSize: z.int().min(1).max(500).default(100) });
export const jobInput = z.object({ job: jobKey });
export const getInvocationsInput = z.object({
  job: jobKey,
  /** The `nextCursor` of the previous page: an invocation id. */
  cursor: bigintIdString("cursor is not one getInvocations returned").optional(),
  pageSize: z.int().min(1).max(50).default(50),
  activeOnly: z.boolean().default(false),
  finishedOnly: z.boolean().default(false),
  /** Only invocations started at or after this (epoch millis). */
  startedSinceTimestampMillis: epochMillis().optional(),
  /** Only invocations started before this (epoch millis). */
  startedUntilTimestampMillis: epochMillis().optional(),
}).refine((v) => !(v.activeOnly && v.finishedOnly), "activeOnly and finishedOnly cannot both be set")
  .refine((v) => v.startedSinceTimestampMillis === undefined || v.startedUntilTimestampMillis === undefined
    || v.startedSinceTimestampMillis < v.startedUntilTimestampMillis, {
    message: "startedSinceTimestampMillis must be before startedUntilTimestampMillis", path: ["startedUntilTimestampMillis"],
  });
export const invocationInput = z.object({ job: jobKey, invocationId: bigintIdString("invocationId is an integer from 1 to 9223372036854775807") });
export const pauseJobInput = z.object({ job: jobKey, reason: z.string().trim().min(1, "say why the job is paused").max(1000) });
/** Resume: the job, and optionally why (recorded in its `resumed` event). */
export const resumeJobInput = z.object({ job: jobKey, reason: z.string().trim().max(1000).default("") });
export const triggerJobInput = z.object({ job: jobKey, title: z.string().max(500).default("manual trigger") });
/** A page of an invocation's history: events after `after` (the previous page's `next`), oldest first. */
export const invocationHistoryInput = invocationInput.extend({
  after: z.string().regex(/^[0-9]{1,19}$/, "after is the previous page's next").optional(),
  limit: z.int().min(1).max(500).default(100),
});

/** A backfill: the job's cron slots in [from, to), a past range, run as `overlap` says (backfill-states.ts). */
export const backfillInput = z.object({
  job: jobKey,
  fromTimestampMillis: epochMillis(MIN_EPOCH_MILLIS),
  toTimestampMillis: epochMillis(MIN_EPOCH_MILLIS),
  overlap: z.enum(BACKFILL_OVERLAPS, { error: "overlap is SEQUENTIAL, CONCURRENT or SKIP" }).default("SEQUENTIAL"),
  reason: z.string().trim().max(1000).default(""),
  /** Only say how many slots it would run and skip. */
  dryRun: z.boolean().default(false),
}).refine((v) => v.fromTimestampMillis < v.toTimestampMillis, { message: "from must be before to", path: ["toTimestampMillis"] });
export const getBackfillsInput = z.object({
  job: jobKey,
  cursor: bigintIdString("cursor is not one getBackfills returned").optional(),
  pageSize: z.int().min(1).max(50).default(10),
});
export const backfillIdInput = z.object({ job: jobKey, backfillId: bigintIdString("backfillId is an integer from 1 to 9223372036854775807") });

const trigger = z.object({
  id: z.string().min(1).max(200),
  title: z.string().max(500).default(""),
  url: z.url().max(2000).optional(),
  properties: z.record(z.string(), z.unknown()).default({}),
  tags: z.array(z.string().max(200)).max(50).default([]),
});

export const emitTriggersInput = z.object({
  batches: z.array(z.object({ trigger, jobs: z.array(jobKey).min(1).max(1000) })).min(1).max(100),
  /** Epoch millis the triggers were created at; within ±15 minutes of now. Default: now. */
  timestamp: epochMillis(MIN_EPOCH_MILLIS).optional(),
});

export type EmitTriggersInput = z.infer<typeof emitTriggersInput>;

/** Abort many invocations of a job: these (a selection), or every active one in batches. */
export const abortInvocationsInput = z.object({
  job: jobKey,
  invocationIds: z.array(bigintIdString("an invocation id is an integer from 1 to 9223372036854775807"))
    .min(1, "invocationIds is empty").max(100, "at most 100 invocations per selection").optional(),
  limit: z.int().min(1).max(100).default(50),
  /** The `next` of the batch before (every active one only). */
  after: bigintIdString("after is the previous batch's next").optional(),
}).refine((v) => v.invocationIds === undefined || v.after === undefined, "after goes with a filter, not with invocationIds");
