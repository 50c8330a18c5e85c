import * as s from "../scheduler/schemas.ts";
import { onSchedulerJob, onSchedulerJobs, signedIn } from "./access-rules.ts";
import { plainProcedure, procedure, router } from "./trpc.ts";
import { Visibility } from "./visibility.ts";

const job = (i: { job: string }) => i.job;

/** The `scheduler` router: LUCI Scheduler's service. Thin by rule: declare access, validate, call the engine. */
export const schedulerRouter = router({
  getProjects: plainProcedure(signedIn).query(async ({ ctx }) => {
    const seen = new Visibility(ctx.engine, ctx.caller);
    return (await ctx.engine.scheduler.getProjects(ctx.caller)).filter((p) => seen.schedulerProject(p.id));
  }),
  getJobs: procedure(signedIn, s.getJobsInput).query(async ({ ctx, input }) => {
    const seen = new Visibility(ctx.engine, ctx.caller);
    const page = await ctx.engine.scheduler.getJobs(ctx.caller, input);
    return { ...page, jobs: page.jobs.filter((j) => seen.schedulerJob(j.job)) };
  }),
  getJob: procedure(onSchedulerJob("read", job), s.jobInput)
    .query(({ ctx, input }) => ctx.engine.scheduler.getJob(ctx.caller, input.job)),
  getJobTriageLog: procedure(onSchedulerJob("read", job), s.jobInput)
    .query(({ ctx, input }) => ctx.engine.scheduler.getJobTriageLog(ctx.caller, input.job)),
  listTriggers: procedure(onSchedulerJob("read", job), s.jobInput)
    .query(({ ctx, input }) => ctx.engine.scheduler.listTriggers(ctx.caller, input.job)),
  getInvocations: procedure(onSchedulerJob("read", job), s.getInvocationsInput)
    .query(({ ctx, input }) => ctx.engine.scheduler.getInvocations(ctx.caller, input)),
  getInvocation: procedure(onSchedulerJob("read", job), s.invocationInput)
    .query(({ ctx, input }) => ctx.engine.scheduler.getInvocation(ctx.caller, input.job, input.invocationId)),
  /** An invocation's history from the event log (complete, paginated), with the access of getInvocation. */
  invocationHistory: procedure(onSchedulerJob("read", job), s.invocationHistoryInput)
    .query(({ ctx, input }) => ctx.engine.scheduler.invocationHistory(ctx.caller, input.job, input.invocationId, input)),
  pauseJob: procedure(onSchedulerJob("manage", job), s.pauseJobInput)
    .mutation(({ ctx, input }) => ctx.engine.scheduler.pauseJob(ctx.caller, input.job, input.reason)),
  resumeJob: procedure(onSchedulerJob("manage", job), s.resumeJobInput)
    .mutation(({ ctx, input }) => ctx.engine.scheduler.resumeJob(ctx.caller, input.job, input.reason)),
  abortJob: procedure(onSchedulerJob("manage", job), s.jobInput)
    .mutation(({ ctx, input }) => ctx.engine.scheduler.abortJob(ctx.caller, input.job)),
  abortInvocation: procedure(onSchedulerJob("manage", job), s.invocationInput)
    .mutation(({ ctx, input }) => ctx.engine.scheduler.abortInvocation(ctx.caller, input.job, input.invocationId)),
  /** Many at once: a selection, or every active invocation in batches (Hourglass). */
  abortInvocations: procedure(onSchedulerJob("manage", job), s.abortInvocationsInput)
    .mutation(({ ctx, input }) => ctx.engine.scheduler.abortInvocations(ctx.caller, input.job, input)),
  /** "Run again with the same triggers" (Hourglass): its triggers emitted again under new ids. */
  rerunInvocation: procedure(onSchedulerJob("trigger", job), s.invocationInput)
    .mutation(({ ctx, input }) => ctx.engine.scheduler.rerunInvocation(ctx.caller, input.job, input.invocationId)),
  emitTriggers: procedure(onSchedulerJobs("trigger", (i: { batches: { jobs: string[] }[] }) => i.batches.flatMap((b) => b.jobs)), s.emitTriggersInput)
    .mutation(({ ctx, input }) => ctx.engine.scheduler.emitTriggers(ctx.caller, input)),
  /** Runs the job for every cron slot of a past range (a dry run says what it would do); audited as `backfilled`. */
  backfill: procedure(onSchedulerJob("trigger", job), s.backfillInput)
    .mutation(({ ctx, input }) => ctx.engine.scheduler.backfill(ctx.caller, input)),
  /** The job's backfills with their progress, newest first. */
  getBackfills: procedure(onSchedulerJob("read", job), s.getBackfillsInput)
    .query(({ ctx, input }) => ctx.engine.scheduler.getBackfills(ctx.caller, input)),
  /** One backfill with every slot and its invocation. */
  getBackfill: procedure(onSchedulerJob("read", job), s.backfillIdInput)
    .query(({ ctx, input }) => ctx.engine.scheduler.getBackfill(ctx.caller, input.job, input.backfillId)),
  /** Dashboard shortcut for "trigger now": one trigger with a fresh id. */
  triggerJob: procedure(onSchedulerJob("trigger", job), s.triggerJobInput)
    .mutation(({ ctx, input }) => ctx.engine.scheduler.triggerJob(ctx.caller, input.job, input.title)),
});
