// The apps' logger: pino behind the engine's Logger interface. Every line is
// one JSON object (level, time, msg, the entity ids passed as fields, and
// the bindings of child loggers), or, for a person at a terminal, a readable
// line from pino-pretty. The apps choose the format and level from their
// environment; this module reads none.
import { pino, stdTimeFunctions, type DestinationStream, type Logger as Pino } from "pino";
import pretty from "pino-pretty";
import type { LogFields, Logger, LogLevel } from "./logger.ts";

export type LogFormat = "json" | "pretty";

export interface PinoLoggerOptions {
  /** Names the process on every line ("web", "worker"). */
  name: string;
  level?: LogLevel;
  format?: LogFormat;
  /** Colours in the pretty format (default: when it is stdout and stdout is a terminal). */
  colorize?: boolean;
  /**
   * Where every line goes. Default: debug and info to stdout, warn and error
   * to stderr (as the console logger did, so a runner that shows only stderr
   * still shows problems), written synchronously so a process that exits
   * right after logging (process.exit after shutdown) loses no line.
   */
  destination?: DestinationStream;
  /** Fields on every line (e.g. workerId). */
  bindings?: LogFields;
}

/**
 * The format a process logs in: `setting` (HOURGLASS_LOG_FORMAT) when it is
 * "json" or "pretty", else pretty on a terminal and JSON everywhere else
 * (a pipe, a file, a log collector).
 */
export function logFormat(setting: string | undefined, stdoutIsTerminal: boolean): LogFormat {
  if (setting === "json" || setting === "pretty") return setting;
  return stdoutIsTerminal ? "pretty" : "json";
}

export function pinoLogger(options: PinoLoggerOptions): Logger {
  const format = options.format ?? "json";
  const stream = (fd: 1 | 2, destination: DestinationStream | number = fd): DestinationStream => format === "pretty"
    ? pretty({
        colorize: options.colorize ?? (!options.destination && (fd === 1 ? process.stdout : process.stderr).isTTY === true),
        singleLine: true,
        translateTime: "SYS:HH:MM:ss.l",
        ignore: "pid,hostname,name",
        messageFormat: "[{name}] {msg}",
        destination,
        sync: true,
      })
    : typeof destination === "number" ? pino.destination({ dest: destination, sync: true }) : destination;
  // dedupe: a line goes only to the stream of the highest level it reaches
  const destination = options.destination
    ? stream(1, options.destination)
    : pino.multistream([{ level: "trace", stream: stream(1) }, { level: "warn", stream: stream(2) }], { dedupe: true });
  const base = pino({
    name: options.name,
    level: options.level ?? "info",
    timestamp: stdTimeFunctions.isoTime,
    // "info" rather than 30: lines read the same in JSON and in the pretty format
    formatters: { level: (label) => ({ level: label }) },
  }, destination);
  return adapt(options.bindings ? base.child(options.bindings) : base);
}

function adapt(p: Pino): Logger {
  return {
    debug: (message, fields) => (fields ? p.debug(fields, message) : p.debug(message)),
    info: (message, fields) => (fields ? p.info(fields, message) : p.info(message)),
    warn: (message, fields) => (fields ? p.warn(fields, message) : p.warn(message)),
    error: (message, fields) => (fields ? p.error(fields, message) : p.error(message)),
    child: (bindings) => adapt(p.child(bindings)),
  };
}
