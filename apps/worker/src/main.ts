// Entry point of the worker process. It hears SIGTERM / SIGINT before the
// worker's modules load (most of start-up), so a stop at any moment of
// start-up is clean: worker.ts sees the signal and stops at once, exit 0.
const early = (signal: NodeJS.Signals) => {
  (globalThis as { hourglassEarlySignal?: string }).hourglassEarlySignal ??= signal;
};
process.on("SIGTERM", early);
process.on("SIGINT", early);
await import("./worker.ts");
process.off("SIGTERM", early);
process.off("SIGINT", early);
export {};
