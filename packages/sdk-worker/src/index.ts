export { createWorker, WorkerConfigError } from "./worker.ts";
export type {
  ApiConnection, Connection, DatabaseConnection, Handler, HandlerContext, HandlerResult, Job, Logger, Worker, WorkerOptions,
  WorkerStats,
} from "./types.ts";
