export { createHourglassClient, type HourglassClient, type HourglassClientOptions } from "./client.ts";
export {
  ConflictError,
  ForbiddenError,
  HourglassError,
  isHourglassError,
  NotFoundError,
  RateLimitedError,
  toHourglassError,
  UnauthenticatedError,
  UnavailableError,
  ValidationError,
  type ErrorKind,
  type FieldIssue,
  type HourglassErrorCode,
} from "./errors.ts";
export { enqueueInTransaction, type EnqueueJob, type EnqueueOptions, type PgQueryable } from "./enqueue.ts";
export type { AppRouter } from "./router.ts";
export type { RouterInputs, RouterOutputs } from "./types.ts";
