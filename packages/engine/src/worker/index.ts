export { QueueWorker, DEFAULT_WORKER_OPTIONS, type QueueWorkerOptions } from "./queue-worker.ts";
