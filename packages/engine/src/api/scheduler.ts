import { z } from "zod";
import * as s from "../scheduler/schemas.ts";
import { publicProcedure, router } from "./trpc.ts";

/** The `scheduler` router: LUCI Scheduler's service. Thin by rule: validate, call the engine. */
export const schedulerRouter = router({
  getProjects: publicProcedure.query(({ ctx }) => ctx.engine.scheduler.getProjects(ctx.caller)),
  getJobs: publicProcedure.input(s.getJobsInput).query(({ ctx, input }) => ctx.engine.scheduler.getJobs(ctx.caller, input)),
  getJob: publicProcedure.input(s.jobInput).query(({ ctx, input }) => ctx.engine.scheduler.getJob(ctx.caller, input.job)),
  getJobTriageLog: publicProcedure.input(s.jobInput).query(({ ctx, input }) => ctx.engine.scheduler.getJobTriageLog(ctx.caller, input.job)),
  listTriggers: publicProcedure.input(s.jobInput).query(({ ctx, input }) => ctx.engine.scheduler.listTriggers(ctx.caller, input.job)),
  getInvocations: publicProcedure.input(s.getInvocationsInput).query(({ ctx, input }) => ctx.engine.scheduler.getInvocations(ctx.caller, input)),
  getInvocation: publicProcedure.input(s.invocationInput).query(({ ctx, input }) => ctx.engine.scheduler.getInvocation(ctx.caller, input.job, input.invocationId)),
  pauseJob: publicProcedure.input(s.pauseJobInput).mutation(({ ctx, input }) => ctx.engine.scheduler.pauseJob(ctx.caller, input.job, input.reason)),
  resumeJob: publicProcedure.input(s.jobInput).mutation(({ ctx, input }) => ctx.engine.scheduler.resumeJob(ctx.caller, input.job)),
  abortJob: publicProcedure.input(s.jobInput).mutation(({ ctx, input }) => ctx.engine.scheduler.abortJob(ctx.caller, input.job)),
  abortInvocation: publicProcedure.input(s.invocationInput).mutation(({ ctx, input }) => ctx.engine.scheduler.abortInvocation(ctx.caller, input.job, input.invocationId)),
  emitTriggers: publicProcedure.input(s.emitTriggersInput).mutation(({ ctx, input }) => ctx.engine.scheduler.emitTriggers(ctx.caller, input)),
  /** Dashboard shortcut for "trigger now": one trigger with a fresh id. */
  triggerJob: publicProcedure.input(s.jobInput.extend({ title: z.string().max(500).default("manual trigger") })).mutation(({ ctx, input }) =>
    ctx.engine.scheduler.emitTriggers(ctx.caller, { batches: [{ trigger: { id: `manual:${crypto.randomUUID()}`, title: input.title, properties: {}, tags: ["manual"] }, jobs: [input.job] }] }),
  ),
});
