import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./router.ts";

/** Every procedure's input: `RouterInputs["queues"]["enqueueJobs"]`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** Every procedure's result, as it arrives (plain JSON: dates are ISO strings). */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
