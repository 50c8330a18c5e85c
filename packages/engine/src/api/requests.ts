import * as s from "../chains/schemas.ts";
import { anyone, onRequest, onRequests, onRequestType, signedIn } from "./access-rules.ts";
import { plainProcedure, procedure, router } from "./trpc.ts";
import { Visibility } from "./visibility.ts";

const id = (i: { id: string }) => i.id;

/** The `requests` router: Spin Cycle's request manager. Thin by rule: declare access, validate, call the engine. */
export const requestsRouter = router({
  specs: plainProcedure(signedIn).query(async ({ ctx }) => {
    const seen = new Visibility(ctx.engine, ctx.caller);
    const specs = await ctx.engine.requests.specs(ctx.caller);
    const visible = await Promise.all(specs.requests.map((r) => seen.requestType(r.name)));
    return { ...specs, requests: specs.requests.filter((_, i) => visible[i]) };
  }),
  version: plainProcedure(anyone).query(({ ctx }) => ctx.engine.requests.version()),
  // creating a request needs the start scope of its type, whether or not it starts now
  create: procedure(onRequestType("start", (i: { type: string }) => i.type), s.createRequestInput).mutation(async ({ ctx, input }) => {
    const created = await ctx.engine.requests.create(ctx.caller, input);
    return input.start ? ctx.engine.requests.start(ctx.caller, created.id) : created;
  }),
  get: procedure(onRequest("read", id), s.requestIdInput).query(({ ctx, input }) => ctx.engine.requests.get(ctx.caller, input.id)),
  status: procedure(onRequest("read", id), s.requestIdInput).query(({ ctx, input }) => ctx.engine.requests.status(ctx.caller, input.id)),
  jobChain: procedure(onRequest("read", id), s.requestIdInput).query(({ ctx, input }) => ctx.engine.requests.jobChain(ctx.caller, input.id)),
  log: procedure(onRequest("read", (i: { requestId: string }) => i.requestId), s.logInput)
    .query(({ ctx, input }) => ctx.engine.requests.log(ctx.caller, input)),
  find: procedure(signedIn, s.findRequestsInput).query(async ({ ctx, input }) => {
    const seen = new Visibility(ctx.engine, ctx.caller);
    const found = await ctx.engine.requests.find(ctx.caller, input);
    return { ...found, requests: found.requests.filter((r) => seen.request(r.project, r.type)) };
  }),
  running: procedure(signedIn, s.runningInput).query(async ({ ctx, input }) => {
    const seen = new Visibility(ctx.engine, ctx.caller);
    const running = await ctx.engine.requests.running(ctx.caller, input);
    const visible = await Promise.all(running.jobs.map((j) => seen.requestType(j.requestType)));
    return { ...running, jobs: running.jobs.filter((_, i) => visible[i]) };
  }),
  history: procedure(onRequest("read", id), s.historyInput)
    .query(({ ctx, input }) => ctx.engine.requests.history(ctx.caller, input)),
  jobHistory: procedure(onRequest("read", id), s.jobHistoryInput)
    .query(({ ctx, input }) => ctx.engine.requests.jobHistory(ctx.caller, input)),
  start: procedure(onRequest("start", id), s.requestIdInput)
    .mutation(({ ctx, input }) => ctx.engine.requests.start(ctx.caller, input.id)),
  stop: procedure(onRequest("stop", id), s.requestActionInput)
    .mutation(({ ctx, input }) => ctx.engine.requests.stop(ctx.caller, input.id, input.reason)),
  suspend: procedure(onRequest("suspend", id), s.requestActionInput)
    .mutation(({ ctx, input }) => ctx.engine.requests.suspend(ctx.caller, input.id, input.reason)),
  resume: procedure(onRequest("resume", id), s.requestActionInput)
    .mutation(({ ctx, input }) => ctx.engine.requests.resume(ctx.caller, input.id, input.reason)),
  // Hourglass additions: retry from the failed jobs, and acting on many requests
  /** FAIL → RUNNING from its failed jobs; continuing a request is what resume allows. */
  retry: procedure(onRequest("resume", id), s.retryRequestInput)
    .mutation(({ ctx, input }) => ctx.engine.requests.retry(ctx.caller, input.id, input.reason)),
  count: procedure(onRequestType("read", (i: { filter: { type: string } }) => i.filter.type), s.countRequestsInput)
    .query(({ ctx, input }) => ctx.engine.requests.bulk.count(input.filter, input.cap)),
  stopMany: procedure(onRequests("stop"), s.bulkRequestActionInput)
    .mutation(({ ctx, input }) => ctx.engine.requests.bulk.act(ctx.caller, "stop", input)),
  suspendMany: procedure(onRequests("suspend"), s.bulkRequestActionInput)
    .mutation(({ ctx, input }) => ctx.engine.requests.bulk.act(ctx.caller, "suspend", input)),
  resumeMany: procedure(onRequests("resume"), s.bulkResumeInput)
    .mutation(({ ctx, input }) => ctx.engine.requests.bulk.act(ctx.caller, "resume", input)),
});
