import * as s from "../chains/schemas.ts";
import { publicProcedure, router } from "./trpc.ts";

/** The `requests` router: Spin Cycle's request manager. Thin by rule: validate, call the engine. */
export const requestsRouter = router({
  specs: publicProcedure.query(({ ctx }) => ctx.engine.requests.specs(ctx.caller)),
  version: publicProcedure.query(({ ctx }) => ctx.engine.requests.version()),
  create: publicProcedure.input(s.createRequestInput).mutation(async ({ ctx, input }) => {
    const created = await ctx.engine.requests.create(ctx.caller, input);
    return input.start ? ctx.engine.requests.start(ctx.caller, created.id) : created;
  }),
  get: publicProcedure.input(s.requestIdInput).query(({ ctx, input }) => ctx.engine.requests.get(ctx.caller, input.id)),
  status: publicProcedure.input(s.requestIdInput).query(({ ctx, input }) => ctx.engine.requests.status(ctx.caller, input.id)),
  jobChain: publicProcedure.input(s.requestIdInput).query(({ ctx, input }) => ctx.engine.requests.jobChain(ctx.caller, input.id)),
  log: publicProcedure.input(s.logInput).query(({ ctx, input }) => ctx.engine.requests.log(ctx.caller, input)),
  find: publicProcedure.input(s.findRequestsInput).query(({ ctx, input }) => ctx.engine.requests.find(ctx.caller, input)),
  running: publicProcedure.input(s.runningInput).query(({ ctx, input }) => ctx.engine.requests.running(ctx.caller, input)),
  start: publicProcedure.input(s.requestIdInput).mutation(({ ctx, input }) => ctx.engine.requests.start(ctx.caller, input.id)),
  stop: publicProcedure.input(s.requestIdInput).mutation(({ ctx, input }) => ctx.engine.requests.stop(ctx.caller, input.id)),
  suspend: publicProcedure.input(s.requestIdInput).mutation(({ ctx, input }) => ctx.engine.requests.suspend(ctx.caller, input.id)),
  resume: publicProcedure.input(s.requestIdInput).mutation(({ ctx, input }) => ctx.engine.requests.resume(ctx.caller, input.id)),
});
