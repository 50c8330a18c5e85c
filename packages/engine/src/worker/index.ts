export { QueueWorker, DEFAULT_WORKER_OPTIONS, type QueueWorkerOptions } from "./queue-worker.ts";
export type { JobHandler, ExecutionInput, ExecutionResult } from "../executors/types.ts";
export { SchedulerLoops, type SchedulerLoopOptions } from "./scheduler-loops.ts";
export { ChainLoops, type ChainLoopOptions } from "./chain-loops.ts";
export { AccessConfigLoop } from "./access-config-loop.ts";
export { AlertLoops, type AlertLoopOptions } from "./alert-loops.ts";
export { createWorker, HourglassWorker, type CreateWorkerOptions, type WorkerPart } from "./create-worker.ts";
export { EventRetention, type EventRetentionOptions } from "./event-retention.ts";
export { TaskMaintenanceLoop, type TaskMaintenanceOptions } from "./task-maintenance.ts";
