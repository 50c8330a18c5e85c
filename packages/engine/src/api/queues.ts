import * as s from "../queue/schemas.ts";
import { publicProcedure, router } from "./trpc.ts";

/**
 * The `queues` router: PinLater's service, procedure for procedure, plus the
 * reads the dashboard needs. Thin by rule: validate, call the engine.
 */
export const queuesRouter = router({
  // PinLater's API
  createQueue: publicProcedure.input(s.createQueueInput).mutation(({ ctx, input }) => ctx.engine.queues.createQueue(ctx.caller, input)),
  deleteQueue: publicProcedure.input(s.queueNameInput).mutation(({ ctx, input }) => ctx.engine.queues.deleteQueue(ctx.caller, input.name)),
  getQueueNames: publicProcedure.query(({ ctx }) => ctx.engine.queues.getQueueNames()),
  enqueueJobs: publicProcedure.input(s.enqueueJobsInput).mutation(({ ctx, input }) => ctx.engine.jobs.enqueueJobs(ctx.caller, input)),
  dequeueJobs: publicProcedure.input(s.dequeueJobsInput).mutation(({ ctx, input }) => ctx.engine.jobs.dequeueJobs(ctx.caller, input)),
  ackDequeuedJobs: publicProcedure.input(s.ackDequeuedJobsInput).mutation(({ ctx, input }) => ctx.engine.jobs.ackDequeuedJobs(ctx.caller, input)),
  checkpointJobs: publicProcedure.input(s.checkpointJobsInput).mutation(({ ctx, input }) => ctx.engine.jobs.checkpointJobs(ctx.caller, input)),
  lookupJobs: publicProcedure.input(s.lookupJobsInput).query(({ ctx, input }) => ctx.engine.reads.lookupJobs(input)),
  getJobCount: publicProcedure.input(s.getJobCountInput).query(({ ctx, input }) => ctx.engine.reads.getJobCount(input)),
  scanJobs: publicProcedure.input(s.scanJobsInput).query(({ ctx, input }) => ctx.engine.reads.scanJobs(input)),
  retryFailedJobs: publicProcedure.input(s.retryFailedJobsInput).mutation(({ ctx, input }) => ctx.engine.bulk.retryFailedJobs(ctx.caller, input)),
  deleteJobs: publicProcedure.input(s.deleteJobsInput).mutation(({ ctx, input }) => ctx.engine.bulk.deleteJobs(ctx.caller, input)),
  // Hourglass additions: queue settings and the dashboard's reads
  getQueue: publicProcedure.input(s.queueNameInput).query(({ ctx, input }) => ctx.engine.queues.get(input.name)),
  getQueueSummaries: publicProcedure.query(({ ctx }) => ctx.engine.queues.summaries()),
  getQueueSummary: publicProcedure.input(s.queueNameInput).query(async ({ ctx, input }) => (await ctx.engine.queues.summaries(input.name))[0]!),
  updateQueue: publicProcedure.input(s.updateQueueInput).mutation(({ ctx, input }) => ctx.engine.queues.updateQueue(ctx.caller, input.name, input.settings)),
  pauseQueue: publicProcedure.input(s.queueNameInput).mutation(({ ctx, input }) => ctx.engine.queues.pauseQueue(ctx.caller, input.name)),
  resumeQueue: publicProcedure.input(s.queueNameInput).mutation(({ ctx, input }) => ctx.engine.queues.resumeQueue(ctx.caller, input.name)),
  getJobDetails: publicProcedure.input(s.jobDescriptorInput).query(({ ctx, input }) => ctx.engine.reads.getJobDetails(input.jobDescriptor)),
});
