import { TRPCClientError } from "@trpc/client";
import type { AppRouter, ErrorCode } from "./router.ts";

/**
 * What went wrong, in the terms a program branches on. Each kind is one
 * subclass of HourglassError; the engine's error codes refine it.
 */
export type ErrorKind =
  /** 400 / 413: the input was refused (`issues` names the fields); sending it again fails again. */
  | "validation"
  /** 401: no credentials, or a token that is unknown, expired or revoked. */
  | "unauthenticated"
  /** 403: the caller lacks a scope (PERMISSION_DENIED) or the resource is Hourglass's own (QUEUE_RESERVED). */
  | "forbidden"
  /** 404: no such resource, or one the caller may not see (the two answer alike). */
  | "not_found"
  /** 409: the call conflicts with the current state (a guarded write matched nothing). */
  | "conflict"
  /** 429: the queue is paused or over its rate limit, or sign-ins are locked; try later. */
  | "rate_limited"
  /** 503 or no answer: the database or the server is away; nothing was changed, or a write's outcome is unknown. */
  | "unavailable"
  /** Anything else (an internal error of the server, an answer that is not the API's). */
  | "internal";

/**
 * The engine's error codes (PinLater's names where PinLater has one); the
 * request guard's, answered before any procedure runs; and two of the
 * client's own: UNKNOWN (the server failed without a code) and
 * NETWORK_ERROR (no answer from the server at all).
 */
export type HourglassErrorCode =
  | ErrorCode
  | "HOST_NOT_ALLOWED"
  | "CROSS_SITE_REQUEST"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "UNKNOWN"
  | "NETWORK_ERROR";

/** One problem with one field, as the API reports it in `data.issues`. */
export interface FieldIssue {
  /** Dotted path ("jobs.1.priority"); "" for the whole input. */
  path: string;
  message: string;
}

/** The `data` of an error answer, as the API's error formatter writes it. */
interface ErrorData {
  code?: string;
  httpStatus?: number;
  path?: string;
  errorCode?: string;
  issues?: FieldIssue[];
}

/**
 * A failed call. It is a TRPCClientError too (tRPC's own tooling keeps
 * working); `code` is the engine's error code, `kind` its class, `issues`
 * the fields at fault, `httpStatus` the answer's status (undefined when
 * the server did not answer), `procedure` the call's path.
 */
export class HourglassError extends TRPCClientError<AppRouter> {
  readonly kind: ErrorKind = "internal";
  readonly code: HourglassErrorCode;
  readonly httpStatus: number | undefined;
  readonly issues: FieldIssue[];
  readonly procedure: string | undefined;

  constructor(source: TRPCClientError<AppRouter>, procedure?: string) {
    const result = source.shape ? { error: source.shape } : undefined;
    super(source.message, { cause: source.cause, result, meta: source.meta });
    // TRPCClientError's constructor pins its own prototype; give the subclass back its own
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = new.target.name;
    const data = (source.data ?? {}) as ErrorData;
    this.httpStatus = statusOf(source);
    const fallback = this.httpStatus === undefined ? "NETWORK_ERROR" : "UNKNOWN";
    this.code = (data.errorCode as HourglassErrorCode | undefined) ?? fallback;
    this.issues = data.issues ?? [];
    this.procedure = data.path ?? procedure;
    if (source.stack) this.stack = source.stack;
  }
}

export class ValidationError extends HourglassError {
  override readonly kind = "validation";
}
export class UnauthenticatedError extends HourglassError {
  override readonly kind = "unauthenticated";
}
export class ForbiddenError extends HourglassError {
  override readonly kind = "forbidden";
}
export class NotFoundError extends HourglassError {
  override readonly kind = "not_found";
}
export class ConflictError extends HourglassError {
  override readonly kind = "conflict";
}
export class RateLimitedError extends HourglassError {
  override readonly kind = "rate_limited";
}
export class UnavailableError extends HourglassError {
  override readonly kind = "unavailable";
}

/** The class of each HTTP status the API answers with (the engine's ERROR_CODES decide the status of each code). */
const CLASS_OF_STATUS: Record<number, typeof HourglassError> = {
  400: ValidationError,
  413: ValidationError,
  415: ValidationError,
  401: UnauthenticatedError,
  403: ForbiddenError,
  404: NotFoundError,
  409: ConflictError,
  429: RateLimitedError,
  502: UnavailableError,
  503: UnavailableError,
  504: UnavailableError,
};

/** The HTTP status of the answer, from the error's data or, for an answer that is not the API's, the response. */
function statusOf(err: TRPCClientError<AppRouter>): number | undefined {
  const data = err.data as ErrorData | undefined;
  return data?.httpStatus ?? (err.meta?.response as { status?: number } | undefined)?.status;
}

/** The typed error for a failed call: its class follows the answer's status; no answer at all is `unavailable`. */
export function toHourglassError(err: unknown, procedure?: string): HourglassError {
  if (err instanceof HourglassError) return err;
  const source = TRPCClientError.from<AppRouter>(err as Error);
  const status = statusOf(source);
  if (status === undefined) return new UnavailableError(source, procedure);
  const Class = CLASS_OF_STATUS[status] ?? HourglassError;
  return new Class(source, procedure);
}

export function isHourglassError(err: unknown): err is HourglassError {
  return err instanceof HourglassError;
}
