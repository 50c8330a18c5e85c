// The engine's test helpers, imported by path: the engine is private and
// unversioned, so it cannot be a dependency of a package that is packed.
export { createTestEngine, type TestEngine } from "../../engine/src/testing.ts";
export { createWorker, type HourglassWorker } from "../../engine/src/worker/index.ts";
export { handleApiRequest } from "../../engine/src/api/http.ts";
