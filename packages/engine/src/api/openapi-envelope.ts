/**
 * The parts of the OpenAPI document every operation shares: tRPC's response
 * and error envelopes over plain JSON, and how a caller authenticates.
 */
import { ERROR_CODES } from "../errors.ts";
import { SESSION_COOKIE } from "../access/host/session-cookie.ts";

/** Codes the request guard and the body limit answer with before any procedure runs (request-guard.ts, request-size.ts). */
const GUARD_CODES = ["HOST_NOT_ALLOWED", "CROSS_SITE_REQUEST", "UNSUPPORTED_MEDIA_TYPE"];

export const SECURITY_SCHEMES = {
  bearerAuth: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "hg_<id>_<secret>",
    description: "An API token: create one in the dashboard (Tokens) or with `hourglass token create`.",
  },
  sessionCookie: {
    type: "apiKey",
    in: "cookie",
    name: SESSION_COOKIE,
    description: "The dashboard's session (POST /api/session signs in); for browsers, not programs.",
  },
} as const;

/** Either credential will do. */
export const SIGNED_IN = [{ bearerAuth: [] }, { sessionCookie: [] }];
/** No credentials needed (an empty requirement), or either credential. */
export const ANYONE = [{}, ...SIGNED_IN];

export const ERROR_SCHEMA = {
  type: "object",
  description: "Every failed call, whatever its HTTP status (the status is also in `data.httpStatus`).",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["message", "code", "data"],
      properties: {
        message: { type: "string", description: "For people; errors about fields say `path: problem; …`." },
        code: { type: "integer", description: "tRPC's JSON-RPC error number (-32600 …)." },
        data: {
          type: "object",
          required: ["code", "httpStatus"],
          properties: {
            code: { type: "string", description: "tRPC's error code (BAD_REQUEST, NOT_FOUND, …)." },
            httpStatus: { type: "integer" },
            path: { type: "string", description: "The procedure called." },
            errorCode: {
              type: "string",
              description: "Hourglass's error code (PinLater's where PinLater has one); UNKNOWN for an internal error.",
              enum: [...Object.keys(ERROR_CODES), ...GUARD_CODES, "UNKNOWN"],
            },
            issues: {
              type: "array",
              description: "The fields at fault, for input errors.",
              items: {
                type: "object",
                required: ["path", "message"],
                properties: {
                  path: { type: "string", description: "Dotted path (`jobs.1.priority`); empty for the whole input." },
                  message: { type: "string" },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

/** tRPC's success envelope; the result itself is `result.data`. */
export const resultSchema = (description: string) => ({
  type: "object",
  required: ["result"],
  properties: {
    result: {
      type: "object",
      required: ["data"],
      properties: { data: { description } },
    },
  },
});

export const ERROR_RESPONSE = {
  description: "The call failed: 400 bad input, 401 no or bad credentials, 403 a missing scope or a reserved queue, " +
    "404 no such resource (or one the caller may not see), 409 a conflict, 413 too large, 429 rate limited, " +
    "503 the database is away (with Retry-After).",
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
};
