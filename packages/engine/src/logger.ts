export type LogFields = Record<string, unknown>;

/**
 * What the engine logs through. Entity ids go in `fields` under their own
 * names (queue, jobId, invocationId, requestId, workerId…), not into the
 * message, so a structured logger makes them searchable fields; the message
 * stays a fixed sentence. The apps pass a pino-backed one (pino-logger.ts);
 * tests a silent one.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `bindings` to every line (optional: see childLogger for loggers without it). */
  child?(bindings: LogFields): Logger;
}

export type LogLevel = "debug" | "info" | "warn" | "error";

/** `logger.child(bindings)`, or for a logger without `child`, one that merges the bindings into each line's fields. */
export function childLogger(logger: Logger, bindings: LogFields): Logger {
  if (logger.child) return logger.child(bindings);
  const emit = (level: LogLevel) => (message: string, fields?: LogFields) => logger[level](message, { ...bindings, ...fields });
  return {
    debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error"),
    child: (more) => childLogger(logger, { ...bindings, ...more }),
  };
}

/** One line per event: `level message key=value ...`. */
export function consoleLogger(name: string, minLevel: LogLevel = "info", bindings: LogFields = {}): Logger {
  const order = { debug: 0, info: 1, warn: 2, error: 3 } as const;
  const emit = (level: keyof typeof order) => (message: string, fields?: LogFields) => {
    if (order[level] < order[minLevel]) return;
    const all = { ...bindings, ...fields };
    const extra = Object.keys(all).length > 0
      ? " " + Object.entries(all).map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join(" ")
      : "";
    const line = `${new Date().toISOString()} ${level.padEnd(5)} [${name}] ${message}${extra}`;
    (level === "error" || level === "warn" ? console.error : console.log)(line);
  };
  return {
    debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error"),
    child: (more) => consoleLogger(name, minLevel, { ...bindings, ...more }),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silentLogger };
