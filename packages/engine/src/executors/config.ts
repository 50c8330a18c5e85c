import { z } from "zod";

/** Retry delay after a failed run, for every executor kind (PinLater's ack retryDelayMillis). */
const retryDelayMillis = z.int().min(0).max(7 * 24 * 3600_000).default(1000)
  .describe("delay before a failed job with attempts left runs again");

export const noopExecutorSchema = z.object({ kind: z.literal("noop"), retryDelayMillis });

export const httpExecutorSchema = z.object({
  kind: z.literal("http"),
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).default("POST"),
  url: z.url({ protocol: /^https?$/, error: "url must be an http:// or https:// URL" }),
  headers: z.record(z.string(), z.string()).default({}),
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
