import * as s from "../queue/schemas.ts";
import { createQueueAccess, executorScopes, onJob, onQueue, signedIn } from "./access-rules.ts";
import type { Access } from "./access-check.ts";
import { plainProcedure, procedure, router } from "./trpc.ts";
import { Visibility } from "./visibility.ts";

type UpdateQueue = { name: string; settings: { executor?: { kind?: string } | null } };

/** Changing a queue's executor needs the executor's own scope too (code that runs on the worker host). */
const updateQueueAccess: Access<UpdateQueue> = {
  kind: "resource",
  resolve: async (ctx, input) => {
    const patch = input.settings.executor;
    const check = await onQueue<UpdateQueue>("manage", (i) => i.name).resolve(ctx, input);
    if (patch === undefined || patch === null || check.read === null) return check;
    const kind = patch.kind ?? (await ctx.engine.queues.get(input.name)).executor?.kind;
    return { ...check, need: { AllOf: [check.need!, ...executorScopes({ kind })] } };
  },
};

/**
 * The `queues` router: PinLater's service, procedure for procedure, plus the
 * reads the dashboard needs. Thin by rule: declare access, validate, call the engine.
 */
export const queuesRouter = router({
  // PinLater's API
  createQueue: procedure(createQueueAccess, s.createQueueInput)
    .mutation(({ ctx, input }) => ctx.engine.queues.createQueue(ctx.caller, input)),
  deleteQueue: procedure(onQueue("manage", (i: { name: string }) => i.name), s.queueNameInput)
    .mutation(({ ctx, input }) => ctx.engine.queues.deleteQueue(ctx.caller, input.name)),
  getQueueNames: plainProcedure(signedIn)
    .query(async ({ ctx }) => new Visibility(ctx.engine, ctx.caller).queues(await ctx.engine.queues.getQueueNames(), (n) => n)),
  enqueueJobs: procedure(onQueue("enqueue", (i: { queueName: string }) => i.queueName), s.enqueueJobsInput)
    .mutation(({ ctx, input }) => ctx.engine.jobs.enqueueJobs(ctx.caller, input)),
  dequeueJobs: procedure(onQueue("consume", (i: { queueName: string }) => i.queueName), s.dequeueJobsInput)
    .mutation(({ ctx, input }) => ctx.engine.jobs.dequeueJobs(ctx.caller, input)),
  ackDequeuedJobs: procedure(onQueue("consume", (i: { queueName: string }) => i.queueName), s.ackDequeuedJobsInput)
    .mutation(({ ctx, input }) => ctx.engine.jobs.ackDequeuedJobs(ctx.caller, input)),
  checkpointJobs: procedure(onQueue("consume", (i: { queueName: string }) => i.queueName), s.checkpointJobsInput)
    .mutation(({ ctx, input }) => ctx.engine.jobs.checkpointJobs(ctx.caller, input)),
  lookupJobs: procedure(signedIn, s.lookupJobsInput).query(async ({ ctx, input }) => {
    const visible = await new Visibility(ctx.engine, ctx.caller).descriptors(input.jobDescriptors);
    return ctx.engine.reads.lookupJobs({ ...input, jobDescriptors: visible });
  }),
  getJobCount: procedure(onQueue("read", (i: { queueName: string }) => i.queueName), s.getJobCountInput)
    .query(({ ctx, input }) => ctx.engine.reads.getJobCount(input)),
  scanJobs: procedure(onQueue("read", (i: { queueName: string }) => i.queueName), s.scanJobsInput)
    .query(({ ctx, input }) => ctx.engine.reads.scanJobs(input)),
  retryFailedJobs: procedure(onQueue("manage", (i: { queueName: string }) => i.queueName), s.retryFailedJobsInput)
    .mutation(({ ctx, input }) => ctx.engine.bulk.retryFailedJobs(ctx.caller, input)),
  deleteJobs: procedure(onQueue("manage", (i: { queueName: string }) => i.queueName), s.deleteJobsInput)
    .mutation(({ ctx, input }) => ctx.engine.bulk.deleteJobs(ctx.caller, input)),
  // Hourglass's bulk actions beside PinLater's: by selection or filter, in batches
  requeueJobs: procedure(onQueue("manage", (i: { queueName: string }) => i.queueName), s.requeueJobsInput)
    .mutation(({ ctx, input }) => ctx.engine.bulk.requeueJobs(ctx.caller, input)),
  cancelJobs: procedure(onQueue("manage", (i: { queueName: string }) => i.queueName), s.cancelJobsInput)
    .mutation(({ ctx, input }) => ctx.engine.bulk.cancelJobs(ctx.caller, input)),
  // Hourglass additions: queue settings and the dashboard's reads
  getQueue: procedure(onQueue("read", (i: { name: string }) => i.name), s.queueNameInput)
    .query(({ ctx, input }) => ctx.engine.queues.get(input.name)),
  getQueueSummaries: plainProcedure(signedIn)
    .query(async ({ ctx }) => new Visibility(ctx.engine, ctx.caller).queues(await ctx.engine.queues.summaries(), (q) => q.name)),
  getQueueSummary: procedure(onQueue("read", (i: { name: string }) => i.name), s.queueNameInput)
    .query(async ({ ctx, input }) => (await ctx.engine.queues.summaries(input.name))[0]!),
  updateQueue: procedure(updateQueueAccess, s.updateQueueInput)
    .mutation(({ ctx, input }) => ctx.engine.queues.updateQueue(ctx.caller, input.name, input.settings)),
  pauseQueue: procedure(onQueue("manage", (i: { name: string }) => i.name), s.pauseQueueInput)
    .mutation(({ ctx, input }) => ctx.engine.queues.pauseQueue(ctx.caller, input.name, input.reason)),
  resumeQueue: procedure(onQueue("manage", (i: { name: string }) => i.name), s.pauseQueueInput)
    .mutation(({ ctx, input }) => ctx.engine.queues.resumeQueue(ctx.caller, input.name, input.reason)),
  getJobDetails: procedure(onJob("read", (i: { jobDescriptor: string }) => i.jobDescriptor), s.jobDescriptorInput)
    .query(({ ctx, input }) => ctx.engine.reads.getJobDetails(input.jobDescriptor)),
  jobHistory: procedure(onJob("read", (i: { jobDescriptor: string }) => i.jobDescriptor), s.jobHistoryInput)
    .query(({ ctx, input }) => ctx.engine.reads.jobHistory(input.jobDescriptor, input.after)),
});
