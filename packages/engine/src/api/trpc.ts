import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import type { ApiCaller } from "../access/host/caller.ts";
import type { Engine } from "../engine.ts";
import { ERROR_CODES, HourglassError, isHourglassError, type ErrorCode, type FieldIssue } from "../errors.ts";
import { enforceAccess, type Access } from "./access-check.ts";
import { inputIssues } from "./input-guard.ts";

export interface ApiContext {
  engine: Engine;
  /** Who is calling, as authenticated by the transport (http.ts) from a session cookie or an API token. */
  caller: ApiCaller;
}

/** Per-procedure metadata: the access it requires (every procedure declares one; see `procedure`). */
export interface ApiMeta {
  access: Access;
}

/** Which PinLater code a validation issue on a field stands for. */
export function errorCodeForIssue(path: PropertyKey[]): ErrorCode {
  const field = String(path[path.length - 1] ?? "");
  if (field === "queueName" || field === "name") return "QUEUE_NAME_INVALID";
  if (field === "priority") return "PRIORITY_NOT_SUPPORTED";
  if (field === "continuation") return "CONTINUATION_INVALID";
  return "INVALID_ARGUMENT";
}

/** "path: message; path: message", the message of an error about fields. */
function describeIssues(issues: FieldIssue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
}

const t = initTRPC.context<ApiContext>().meta<ApiMeta>().create({
  // Plain JSON, no transformer: curl and non-TypeScript clients can call the API.
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    if (cause instanceof ZodError) {
      const issues = cause.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
      return { ...shape, message: describeIssues(issues), data: { ...shape.data, errorCode: errorCodeForIssue(cause.issues[0]?.path ?? []), issues } };
    }
    if (isHourglassError(cause)) return { ...shape, data: { ...shape.data, errorCode: cause.code, ...(cause.issues && { issues: cause.issues }) } };
    return { ...shape, data: { ...shape.data, errorCode: error.code === "INTERNAL_SERVER_ERROR" ? "UNKNOWN" : undefined } };
  },
});

/**
 * Turns the engine's domain errors into tRPC errors with the matching HTTP
 * status, and a lost database connection into a retryable 503 (reported once
 * per outage by the database's OutageMonitor, not logged per call).
 */
const domainErrors = t.middleware(async ({ ctx, next }) => {
  const result = await next();
  if (result.ok) return result;
  let cause = result.error.cause;
  if (!isHourglassError(cause) && ctx.engine.ctx.db.outage.failed(cause ?? result.error)) {
    cause = new HourglassError("DATABASE_UNAVAILABLE", "the database is unavailable (restarting or unreachable); retry shortly");
  }
  if (isHourglassError(cause)) throw new TRPCError({ code: ERROR_CODES[cause.code], message: cause.message, cause });
  return result;
});

/**
 * Rejects, before any schema runs, what no schema should have to think about:
 * NUL bytes and lone surrogates anywhere (keys too), JSON nested too deep or
 * too large (input-guard.ts). Every procedure passes through it, so a new one
 * cannot forget it.
 */
const inputGuard = t.middleware(async ({ getRawInput, next }) => {
  const issues = inputIssues(await getRawInput());
  if (issues.length > 0) throw new HourglassError("INVALID_ARGUMENT", describeIssues(issues), issues);
  return next();
});

/**
 * Fails closed: a procedure built without `procedure(access)` has no access
 * declared and refuses every call. A caller without credentials is refused
 * here, before its input is even parsed: no credentials is a 401, whatever it sent.
 */
const accessDeclared = t.middleware(({ ctx, meta, path, next }) => {
  if (!meta?.access) throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: `${path} declares no access` });
  if (meta.access.kind !== "anyone" && ctx.caller.kind === "anonymous") {
    throw new HourglassError("UNAUTHENTICATED", "sign in, or send an API token (Authorization: Bearer hg_…)");
  }
  return next();
});

/**
 * The one access check every public call passes, after its input is parsed
 * (the access of a resource depends on which one): see access-check.ts.
 */
const authorized = t.middleware(async ({ ctx, meta, input, next }) => {
  await enforceAccess(meta!.access, ctx, input);
  return next();
});

export const router = t.router;
const baseProcedure = t.procedure.use(domainErrors).use(inputGuard).use(accessDeclared);

/**
 * A public procedure with its access: `procedure(access).input(schema)` or
 * `procedure(access, schema)`. The check runs after the input is parsed.
 */
export function procedure<S extends Parameters<typeof baseProcedure.input>[0]>(access: Access, schema: S) {
  return baseProcedure.meta({ access }).input(schema).use(authorized);
}

/** A public procedure that takes no input. */
export function plainProcedure(access: Access) {
  return baseProcedure.meta({ access }).use(authorized);
}

export const createCallerFactory = t.createCallerFactory;
