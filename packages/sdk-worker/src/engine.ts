// For Hourglass's own worker (apps/worker) only, inside the workspace: its
// handlers are written against this SDK and run through the same adapter.
// Not part of the published package (it names the engine's types).
export { toJobHandler, toJobHandlers } from "./handler.ts";
