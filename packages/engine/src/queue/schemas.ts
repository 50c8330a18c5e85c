/**
 * Inputs of the queue API, PinLater's request structs in camelCase JSON.
 * Where PinLater is silent Hourglass's choices are noted on the field.
 */
import { z } from "zod";
import { QUEUE_JOB_STATES } from "./states.ts";
import { executorConfigSchema } from "../executors/config.ts";
import { executorPatchSchema } from "../executors/patch.ts";
import { delayMillis, epochMillis } from "../bounds.ts";
import { continuationProblem } from "./continuation.ts";
import { descriptorProblem } from "./descriptors.ts";

export const MAX_JOBS_PER_CALL = 10_000;
export const MAX_BODY_BYTES = 1_000_000;
export const COUNT_CAP = 100_000;

/** A zod refinement from a function that says what is wrong with a string (null: nothing). */
function refineWith(problemOf: (s: string) => string | null) {
  return (s: string, ctx: z.RefinementCtx) => {
    const problem = problemOf(s);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  };
}

// Names are checked by checkQueueName (PinLater's error codes); zod only bounds the type.
const queueName = z.string().min(1, "queue name is empty").max(200);
const priority = z.int().min(1, "priority must be 1, 2 or 3").max(3, "priority must be 1, 2 or 3");
const millis = epochMillis();
const state = z.enum(QUEUE_JOB_STATES);
const regex = z.string().min(1).max(1000);
// Checked in full here so the message names the field (parseJobDescriptor checks the same for other callers).
const descriptor = z.string().max(100).superRefine(refineWith(descriptorProblem));

export const queueSettingsSchema = z.object({
  claimTimeoutMillis: z.int().min(1000).max(7 * 24 * 3600_000).optional(),
  succeededRetentionMillis: z.int().min(0).max(365 * 24 * 3600_000).optional(),
  failedRetentionMillis: z.int().min(0).max(365 * 24 * 3600_000).optional(),
  /** Jobs per second; null = unlimited, 0 = paused. */
  dequeueRateLimit: z.number().min(0).max(1_000_000).nullable().optional(),
  /** What the worker runs for each job; null = consumed by external programs via dequeueJobs. */
  executor: executorConfigSchema.nullable().optional(),
});

/** The project a new queue belongs to (who may see and use it); "default" when not named. */
const project = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, "a project is 1-100 letters, digits, _ or -").default("default");
export const createQueueInput = z.object({ name: queueName, project }).extend(queueSettingsSchema.shape);
export const queueNameInput = z.object({ name: queueName });
/** Pause and resume: the reason, optional, goes in the queue's event (the audit log). */
export const pauseQueueInput = queueNameInput.extend({ reason: z.string().trim().max(1000, "a reason is at most 1000 characters").optional() });
/** Only the settings named change; `executor` is a patch merged into the current one (executors/patch.ts). */
export const updateQueueInput = z.object({
  name: queueName,
  settings: queueSettingsSchema.extend({ executor: executorPatchSchema.nullable().optional() }),
});

export const enqueueJobsInput = z.object({
  queueName,
  jobs: z
    .array(
      z.object({
        body: z.string().max(MAX_BODY_BYTES, `a job body is at most ${MAX_BODY_BYTES} characters`),
        priority: priority.default(1),
        runAfterTimestampMillis: millis.optional(),
        numAttemptsAllowed: z.int().min(1).max(1000).default(2),
        customStatus: z.string().max(4000).default(""),
      }),
    )
    .min(1, "jobs is empty")
    .max(MAX_JOBS_PER_CALL, `at most ${MAX_JOBS_PER_CALL} jobs per call`),
});

const ackInfo = z.object({
  jobDescriptor: descriptor,
  appendCustomStatus: z.string().max(4000).default(""),
  retryDelayMillis: delayMillis.default(0),
  /** Hourglass: when set, the ack applies only if this is still the job's current claim. */
  claimDescriptor: z.string().max(300).optional(),
});

export const ackDequeuedJobsInput = z.object({
  queueName,
  jobsSucceeded: z.array(ackInfo).max(MAX_JOBS_PER_CALL).default([]),
  jobsFailed: z.array(ackInfo).max(MAX_JOBS_PER_CALL).default([]),
});

export const dequeueJobsInput = z.object({
  queueName,
  limit: z.int().min(1, "limit must be at least 1").max(1000, "limit is at most 1000"),
  jobAckRequest: ackDequeuedJobsInput.optional(),
  dryRun: z.boolean().default(false),
});

export const checkpointJobsInput = z.object({
  queueName,
  requests: z
    .array(
      z.object({
        jobDescriptor: descriptor,
        newBody: z.string().max(MAX_BODY_BYTES).optional(),
        moveToPending: z.boolean().default(false),
        runAfterTimestampMillis: millis.optional(),
        numOfAttemptsAllowed: z.int().min(1).max(1000).optional(),
        prependCustomStatus: z.string().max(4000).optional(),
        /** Hourglass: replaces the custom status (a worker's progress line); applied instead of prependCustomStatus. */
        customStatus: z.string().max(4000).optional(),
        claimDescriptor: z.string().max(300).optional(),
      }),
    )
    .min(1, "requests is empty")
    .max(MAX_JOBS_PER_CALL),
});

export const lookupJobsInput = z.object({
  jobDescriptors: z.array(descriptor).min(1, "jobDescriptors is empty").max(1000),
  includeBody: z.boolean().default(false),
});

export const getJobCountInput = z.object({
  queueName,
  jobState: state,
  priority: priority.optional(),
  countFutureJobs: z.boolean().default(false),
  bodyRegexToMatch: regex.optional(),
  /** Hourglass: count at most this many (the answer is then `capped`); a bulk action's "10,000+". */
  cap: z.int().min(1).max(COUNT_CAP).default(COUNT_CAP),
});

export const scanJobsInput = z.object({
  queueName,
  jobState: state,
  priority: priority.optional(),
  scanFutureJobs: z.boolean().default(false),
  /**
   * PinLater's CONTINUATION_START is "0"; a page's `continuation` resumes after it; "-1" means done.
   * Decoded and range-checked here, so a forged one is CONTINUATION_INVALID naming the field.
   */
  continuation: z.string().max(200).superRefine(refineWith(continuationProblem)).default("0"),
  limit: z.int().min(1).max(1000).default(100),
  bodyRegexToMatch: regex.optional(),
  /** Hourglass: only jobs whose runAfter is at or after this (epoch millis). */
  runAfterSinceTimestampMillis: millis.optional(),
  /** Hourglass: only jobs whose runAfter is before this (epoch millis). */
  runAfterUntilTimestampMillis: millis.optional(),
}).refine((i) => i.runAfterSinceTimestampMillis === undefined || i.runAfterUntilTimestampMillis === undefined
  || i.runAfterSinceTimestampMillis < i.runAfterUntilTimestampMillis, {
  message: "runAfterSinceTimestampMillis must be before runAfterUntilTimestampMillis", path: ["runAfterUntilTimestampMillis"],
});

/** At most this many jobs are named in one bulk call's selection. */
export const MAX_BULK_SELECTION = 1000;

/** A bulk action's selection: jobs of its queue, by descriptor. */
const selection = z.array(descriptor).min(1, "jobDescriptors is empty")
  .max(MAX_BULK_SELECTION, `at most ${MAX_BULK_SELECTION} jobs per selection; act on a filter instead`).optional();
/** Hourglass: one batch of a bulk action. */
const bulkLimit = z.int().min(1).max(100_000).default(1000);
/**
 * Hourglass: the `before` an earlier batch of the same action answered; a
 * filter then takes only jobs last changed before the action began.
 */
const before = millis.optional();
/** Hourglass: true = runAfter later than now; false = due now; omitted = both (as the job list filters). */
const future = z.boolean().optional();
const noFilterWithSelection = (v: { jobDescriptors?: string[]; priority?: number; bodyRegexToMatch?: string; future?: boolean }) =>
  v.jobDescriptors === undefined || (v.priority === undefined && v.bodyRegexToMatch === undefined && v.future === undefined);
const selectionOrFilter = { message: "name jobDescriptors or a filter (priority, bodyRegexToMatch, future), not both" };

export const retryFailedJobsInput = z.object({
  queueName,
  /** Hourglass: omitted means every priority (PinLater defaults to 1). */
  priority: priority.optional(),
  attemptsToAllow: z.int().min(1).max(1000).default(1),
  runAfterTimestampMillis: millis.optional(),
  limit: bulkLimit,
  /** Hourglass: only failed jobs whose body matches. */
  bodyRegexToMatch: regex.optional(),
  future,
  /** Hourglass: exactly these jobs (those not FAILED are reported as skipped). */
  jobDescriptors: selection,
  before,
}).refine(noFilterWithSelection, selectionOrFilter);

export const deleteJobsInput = z.object({
  queueName,
  /** Required with a filter; a selection deletes its jobs in whatever state. */
  jobState: state.optional(),
  /** Hourglass: omitted means every priority (PinLater defaults to 1). */
  priority: priority.optional(),
  bodyRegexToMatch: regex.optional(),
  limit: bulkLimit,
  future,
  /** Hourglass: exactly these jobs. */
  jobDescriptors: selection,
  before,
}).refine(noFilterWithSelection, selectionOrFilter)
  .refine((v) => (v.jobDescriptors === undefined) === (v.jobState !== undefined), {
    message: "name jobState to delete by filter, or jobDescriptors (without jobState) to delete a selection",
    path: ["jobState"],
  });

/**
 * Hourglass: jobs not claimed go (back) to PENDING, due at runAfter (default
 * now), with attemptsToAllow attempts (default: each job's own allowance, in full).
 */
export const requeueJobsInput = z.object({
  queueName,
  /** The filter's state (a claimed job is its worker's; it cannot be requeued). */
  jobState: z.enum(["PENDING", "FAILED", "SUCCEEDED"], "a requeue takes PENDING, FAILED or SUCCEEDED jobs").optional(),
  priority: priority.optional(),
  bodyRegexToMatch: regex.optional(),
  future,
  jobDescriptors: selection,
  runAfterTimestampMillis: millis.optional(),
  attemptsToAllow: z.int().min(1, "attempts must be at least 1").max(1000, "attempts is at most 1000").optional(),
  limit: bulkLimit,
  before,
}).refine(noFilterWithSelection, selectionOrFilter)
  .refine((v) => (v.jobDescriptors === undefined) === (v.jobState !== undefined), {
    message: "name jobState to requeue by filter, or jobDescriptors (without jobState) to requeue a selection",
    path: ["jobState"],
  });

/** Hourglass: PENDING jobs (a filter's state is PENDING) become FAILED before any worker claims them. */
export const cancelJobsInput = z.object({
  queueName,
  priority: priority.optional(),
  bodyRegexToMatch: regex.optional(),
  future,
  jobDescriptors: selection,
  limit: bulkLimit,
  before,
}).refine(noFilterWithSelection, selectionOrFilter);

export const jobDescriptorInput = z.object({ jobDescriptor: descriptor });
/** A page of a job's history: `after` is the `historyNext` of the page before. */
export const jobHistoryInput = z.object({
  jobDescriptor: descriptor,
  after: z.string().regex(/^\d{1,19}$/, "after must be an event id")
    .refine((v) => BigInt(v) <= 9223372036854775807n, "after must be an event id (at most 9223372036854775807)")
    .optional(),
});

export type CreateQueueInput = Omit<z.infer<typeof createQueueInput>, "project"> & { project?: string };
export type QueueSettings = z.infer<typeof queueSettingsSchema>;
export type QueueSettingsPatch = z.infer<typeof updateQueueInput>["settings"];
export type EnqueueJobsInput = z.infer<typeof enqueueJobsInput>;
export type AckDequeuedJobsInput = z.infer<typeof ackDequeuedJobsInput>;
export type DequeueJobsInput = z.infer<typeof dequeueJobsInput>;
export type CheckpointJobsInput = z.infer<typeof checkpointJobsInput>;
export type LookupJobsInput = z.infer<typeof lookupJobsInput>;
export type GetJobCountInput = z.infer<typeof getJobCountInput>;
export type ScanJobsInput = z.infer<typeof scanJobsInput>;
export type RetryFailedJobsInput = z.infer<typeof retryFailedJobsInput>;
export type DeleteJobsInput = z.infer<typeof deleteJobsInput>;
export type RequeueJobsInput = z.infer<typeof requeueJobsInput>;
export type CancelJobsInput = z.infer<typeof cancelJobsInput>;
