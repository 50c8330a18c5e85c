import { z } from "zod";

/** Retry delay after a failed run, for every executor kind (PinLater's ack retryDelayMillis). */
const retryDelayMillis = z.int().min(0).max(7 * 24 * 3600_000).default(1000)
  .describe("delay before a failed job with attempts left runs again");

export const noopExecutorSchema = z.object({ kind: z.literal("noop"), retryDelayMillis });

/** RFC 9110 field names are tokens: letters, digits and !#$%&'*+-.^_`|~. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,200}$/;
/**
 * RFC 9110 field values: visible characters, spaces and tabs. CR or LF would
 * split the request (header injection); NUL and characters above U+00FF fetch
 * refuses to send, so every run would fail.
 */
const headerValue = z.string().max(8000).regex(/^[\t\x20-\x7e\x80-\xff]*$/,
  "a header value may not contain CR, LF, other control characters or characters above U+00FF");
const HEADER_NAME_MESSAGE = "a header name is 1-200 token characters (letters, digits, !#$%&'*+-.^_`|~)";

export const httpExecutorSchema = z.object({
  kind: z.literal("http"),
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).default("POST"),
  url: z.url({ protocol: /^https?$/, error: "url must be an http:// or https:// URL" }),
  // names checked here, not as the record's key schema, whose failure zod reports only as "Invalid key in record"
  headers: z.record(z.string(), headerValue).superRefine((headers, ctx) => {
    for (const name of Object.keys(headers)) {
      if (!HEADER_NAME.test(name)) {
        ctx.addIssue({ code: "custom", path: [name], message: HEADER_NAME_MESSAGE });
      }
    }
  }).default({}),
  /** Request body; when absent, POST / PUT / PATCH send the job's body. */
  body: z.string().max(1_000_000).optional(),
  timeoutMillis: z.int().min(1).max(3600_000).default(30_000),
  retryDelayMillis,
});

export const shellExecutorSchema = z.object({
  kind: z.literal("shell"),
  /** Program to run, found on PATH. No shell is involved unless the command is one (e.g. "sh", args ["-c", "..."]). */
  command: z.string().min(1).max(1000),
  args: z.array(z.string().max(10_000)).max(200).default([]),
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "env names are letters, digits and underscores"), z.string()).default({}),
  cwd: z.string().max(1000).optional(),
  timeoutMillis: z.int().min(1).max(24 * 3600_000).default(60_000),
  retryDelayMillis,
});

/** A TypeScript function registered with the worker under `name`; workers without it leave the queue alone. */
export const handlerExecutorSchema = z.object({
  kind: z.literal("handler"),
  name: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, "handler names are 1-100 letters, digits, '_', '.', ':' or '-'"),
  retryDelayMillis,
});

export const executorConfigSchema = z.discriminatedUnion("kind", [noopExecutorSchema, httpExecutorSchema, shellExecutorSchema, handlerExecutorSchema]);

export type ExecutorConfig = z.infer<typeof executorConfigSchema>;
export type ExecutorKind = ExecutorConfig["kind"];
