import { accessRouter } from "./access.ts";
import { alertsRouter } from "./alerts.ts";
import { auditRouter } from "./audit.ts";
import { queuesRouter } from "./queues.ts";
import { requestsRouter } from "./requests.ts";
import { schedulerRouter } from "./scheduler.ts";
import { tasksRouter } from "./tasks.ts";
import { searchRouter } from "./search.ts";
import { createCallerFactory, router } from "./trpc.ts";

export const appRouter = router({
  queues: queuesRouter,
  scheduler: schedulerRouter,
  requests: requestsRouter,
  access: accessRouter,
  alerts: alertsRouter,
  audit: auditRouter,
  search: searchRouter,
  tasks: tasksRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
export type { ApiContext } from "./trpc.ts";
// HTTP handlers (http.ts, event-stream.ts, audit-export.ts) import this router: they are exported from index.ts
// (the package's "./api"), not from here, so that no import cycle runs through the router.
export { DEFAULT_MAX_REQUEST_BYTES } from "./request-size.ts";
export { checkRequest, hostAllowed, LOOPBACK_HOSTS, type RequestPolicy } from "./request-guard.ts";
export { SESSION_COOKIE, credentialsOf } from "./credentials-of.ts";
export type { Access } from "./access-check.ts";
export { openApiDocument, type OpenApiDocument } from "./openapi.ts";
