import { z } from "zod";

/** One arg's value: text, a number, a flag, or a list. */
const argValue = z.union([
  z.string().max(100_000), z.number(), z.boolean(), z.array(z.union([z.string().max(10_000), z.number()])).max(10_000),
]);

/**
 * A request's args by name, the same wherever a request is asked for (API,
 * scheduler task, CLI). Its own module, so that the scheduler (a job's task
 * of kind `request`) and chains share it without importing each other.
 */
export const requestArgs = z.record(z.string().max(100), argValue);
