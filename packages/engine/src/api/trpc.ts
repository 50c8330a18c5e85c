import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import type { Caller } from "../context.ts";
import type { Engine } from "../engine.ts";
import { ERROR_CODES, isHourglassError, type ErrorCode } from "../errors.ts";

export interface ApiContext {
  engine: Engine;
  caller: Caller;
}

/** Which PinLater code a validation issue on a field stands for. */
export function errorCodeForIssue(path: PropertyKey[]): ErrorCode {
  const field = String(path[path.length - 1] ?? "");
  if (field === "queueName" || field === "name") return "QUEUE_NAME_INVALID";
  if (field === "priority") return "PRIORITY_NOT_SUPPORTED";
  if (field === "continuation") return "CONTINUATION_INVALID";
  return "INVALID_ARGUMENT";
}

const t = initTRPC.context<ApiContext>().create({
  // Plain JSON, no transformer: curl and non-TypeScript clients can call the API.
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    if (cause instanceof ZodError) {
      const issues = cause.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
      const message = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
      return { ...shape, message, data: { ...shape.data, errorCode: errorCodeForIssue(cause.issues[0]?.path ?? []), issues } };
    }
    if (isHourglassError(cause)) return { ...shape, data: { ...shape.data, errorCode: cause.code } };
    return { ...shape, data: { ...shape.data, errorCode: error.code === "INTERNAL_SERVER_ERROR" ? "UNKNOWN" : undefined } };
  },
});

/** Turns the engine's domain errors into tRPC errors with the matching HTTP status. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isHourglassError(result.error.cause)) {
    const cause = result.error.cause;
    throw new TRPCError({ code: ERROR_CODES[cause.code], message: cause.message, cause });
  }
  return result;
});

/**
 * The one permission check every public call passes through. Everything is
 * allowed until access control lands; then an invisible object must read as
 * "not found", never "forbidden".
 */
const authorized = t.middleware(({ ctx, next }) => next({ ctx }));

export const router = t.router;
export const publicProcedure = t.procedure.use(domainErrors).use(authorized);
export const createCallerFactory = t.createCallerFactory;
