/**
 * Error codes a caller can act on. The queue's codes are PinLater's ErrorCode
 * names; the rest are Hourglass's own. The API layer maps each to an HTTP
 * status and puts the code in the tRPC error's `data.errorCode`.
 */
export const ERROR_CODES = {
  /** A request argument is malformed (details in the message and `data.issues`). */
  INVALID_ARGUMENT: "BAD_REQUEST",
  /** The HTTP request is larger than the API accepts (the web app's HOURGLASS_API_MAX_REQUEST_BYTES). */
  REQUEST_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  /** The scan continuation token is not one this server issued. */
  CONTINUATION_INVALID: "BAD_REQUEST",
  /** Queue names are letters, digits and underscores. */
  QUEUE_NAME_INVALID: "BAD_REQUEST",
  /** Queue names are at most 64 characters. */
  QUEUE_NAME_TOO_LONG: "BAD_REQUEST",
  /** No queue has this name. */
  QUEUE_NOT_FOUND: "NOT_FOUND",
  /** The queue is one of Hourglass's own (name prefix `hourglass_`): readable, but only the engine writes it. */
  QUEUE_RESERVED: "FORBIDDEN",
  /** Priorities are 1 (highest) to 3. */
  PRIORITY_NOT_SUPPORTED: "BAD_REQUEST",
  /** The queue is paused or over its dequeue rate limit; try again later. */
  DEQUEUE_RATE_LIMITED: "TOO_MANY_REQUESTS",
  /** bodyRegexToMatch is not a valid PostgreSQL regular expression. */
  BODY_REGEX_INVALID: "BAD_REQUEST",
  /** No such job (a queue job descriptor, or a scheduler job the caller may see). */
  JOB_NOT_FOUND: "NOT_FOUND",
  /** No such invocation. */
  INVOCATION_NOT_FOUND: "NOT_FOUND",
  /** No such backfill of the scheduler job. */
  BACKFILL_NOT_FOUND: "NOT_FOUND",
  /** No such project. */
  PROJECT_NOT_FOUND: "NOT_FOUND",
  /** No such request. */
  REQUEST_NOT_FOUND: "NOT_FOUND",
  /** No such request type, or its args do not fit it. */
  REQUEST_INVALID: "BAD_REQUEST",
  /** The operation conflicts with the current state (a guarded write matched nothing). */
  CONFLICT: "CONFLICT",
  /** No credentials, or credentials that are unknown, expired or revoked: sign in or send a valid token. */
  UNAUTHENTICATED: "UNAUTHORIZED",
  /** Sign-in refused: unknown login or wrong password (the two are not told apart). */
  INVALID_CREDENTIALS: "UNAUTHORIZED",
  /** Too many failed sign-ins: the account is locked for a while. */
  ACCOUNT_LOCKED: "TOO_MANY_REQUESTS",
  /** The caller may see the resource but lacks a scope this call needs (the message names it). */
  PERMISSION_DENIED: "FORBIDDEN",
  /** No such user, service account, token or role (or one the caller may not manage). */
  PRINCIPAL_NOT_FOUND: "NOT_FOUND",
  TOKEN_NOT_FOUND: "NOT_FOUND",
  ROLE_NOT_FOUND: "NOT_FOUND",
  /** No such task (Taskcluster's ResourceNotFound), run of a task, or task group; or one the caller may not see. */
  TASK_NOT_FOUND: "NOT_FOUND",
  TASK_GROUP_NOT_FOUND: "NOT_FOUND",
  /** No such alert rule (or one of a project the caller may not see). */
  ALERT_RULE_NOT_FOUND: "NOT_FOUND",
  /**
   * The database could not be reached (it is restarting or away): nothing was
   * changed, or a write's outcome is unknown; retry after the Retry-After delay.
   * Writes are safe to retry where they are idempotent (ids, descriptors, guards).
   */
  DATABASE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** One problem with one field, as the API reports it in `data.issues`. */
export interface FieldIssue {
  /** Dotted path ("jobs.0.body"); "" for the whole input. */
  path: string;
  message: string;
}

export class HourglassError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The fields at fault, when the error is about particular fields of the input. */
    readonly issues?: FieldIssue[],
  ) {
    super(message);
    this.name = "HourglassError";
  }
}

export function isHourglassError(err: unknown): err is HourglassError {
  return err instanceof HourglassError;
}

/** Maps PostgreSQL errors a user's input can cause to HourglassErrors; rethrows the rest. */
export function translatePgError(err: unknown, context: { queueName?: string }): never {
  const code = (err as { code?: string }).code;
  if (code === "2201B") {
    throw new HourglassError("BODY_REGEX_INVALID", `bodyRegexToMatch is not a valid regular expression: ${(err as Error).message}`);
  }
  if (code === "23503" && context.queueName !== undefined) {
    throw new HourglassError("QUEUE_NOT_FOUND", `queue "${context.queueName}" does not exist`);
  }
  throw err;
}
