// The engine's test helpers and the client's API server, imported by path: the
// engine is private and unversioned, so it stays out of the packed package.
export { createTestEngine, type TestEngine } from "../../engine/src/testing.ts";
export { until, WorkerProcess } from "../../engine/test/helpers.ts";
export { startApiServer } from "../../client/test/api-server.ts";
import type { Logger } from "../src/index.ts";

/** A logger that keeps its lines, for asserting what a handler logged. */
export function recordingLogger(): Logger & { lines: { level: string; message: string; fields: Record<string, unknown> }[] } {
  const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const at = (level: string, bindings: Record<string, unknown>) => (message: string, fields?: Record<string, unknown>) =>
    void lines.push({ level, message, fields: { ...bindings, ...fields } });
  const make = (bindings: Record<string, unknown>): Logger => ({
    debug: at("debug", bindings), info: at("info", bindings), warn: at("warn", bindings), error: at("error", bindings),
    child: (more) => make({ ...bindings, ...more }),
  });
  return Object.assign(make({}), { lines });
}

/** A promise with its resolve, for holding a handler until the test lets it go. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}
