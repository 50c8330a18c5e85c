import type { Logger } from "./types.ts";

type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** `logger.child(bindings)`, or for a logger without `child`, one that merges the bindings into each line's fields. */
export function withFields(logger: Logger, bindings: Record<string, unknown>): Logger {
  if (logger.child) return logger.child(bindings);
  const emit = (level: Level) => (message: string, fields?: Record<string, unknown>) =>
    logger[level](message, { ...bindings, ...fields });
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}

/** The default: one line per event on stderr, `time level [name] message key=value …`. */
export function stderrLogger(name: string, minLevel: Level = "info", bindings: Record<string, unknown> = {}): Logger {
  const emit = (level: Level) => (message: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < ORDER[minLevel]) return;
    const all = Object.entries({ ...bindings, ...fields });
    const extra = all.map(([k, v]) => ` ${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join("");
    process.stderr.write(`${new Date().toISOString()} ${level.padEnd(5)} [${name}] ${message}${extra}\n`);
  };
  return {
    debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error"),
    child: (more) => stderrLogger(name, minLevel, { ...bindings, ...more }),
  };
}
