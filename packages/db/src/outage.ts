/**
 * Connection loss, told apart from every other error, and reported once per
 * outage. The pool reconnects by itself (each query opens a fresh connection
 * when the old one died), so a caller that sees a connection error only has
 * to wait and try again; this module says which errors those are and keeps
 * the log to one line when the database goes away and one when it is back,
 * instead of one per failed statement.
 */

/** Socket-level errors of a connection that died or could not be opened. */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);
/**
 * PostgreSQL SQLSTATEs of a server going away or not ready yet: class 08
 * (connection exception), 57P01 admin_shutdown (fast restart), 57P02
 * crash_shutdown (immediate restart of a sibling backend), 57P03
 * cannot_connect_now (starting up, recovering).
 */
const SERVER_CODES = new Set(["57P01", "57P02", "57P03"]);
/** What pg says when a socket closes under it; these errors carry no code. */
const MESSAGES = [
  "Connection terminated",
  "connection terminated",
  "Client has encountered a connection error and is not queryable",
  "timeout exceeded when trying to connect",
  "Connection ended unexpectedly",
  "the database system is",
  "terminating connection due to administrator command",
  "Can't reach database server",
  "Server has closed the connection",
];

/** Whether `err` (or an error it wraps) means the connection to the database was lost or could not be made. */
export function isConnectionError(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (SOCKET_CODES.has(code) || SERVER_CODES.has(code) || code.startsWith("08"))) return true;
    // Prisma's driver-adapter errors carry the driver's error as `cause` or its SQLSTATE as `originalCode`
    const original = (e as { originalCode?: unknown }).originalCode;
    if (typeof original === "string" && (SERVER_CODES.has(original) || original.startsWith("08"))) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === "string" && MESSAGES.some((m) => message.includes(m))) return true;
  }
  return false;
}

export type OutageLog = (level: "warn" | "info", message: string, fields: Record<string, unknown>) => void;

/** Tracks whether the database is reachable, as seen by one process; logs each change once. */
export class OutageMonitor {
  private downSince: number | null = null;
  private log: OutageLog;

  constructor(log?: OutageLog) {
    this.log = log ?? ((level, message, fields) => console[level === "warn" ? "error" : "log"](message, fields));
  }

  /** Where outage lines go (the apps pass their logger once they have built it). */
  setLog(log: OutageLog): void {
    this.log = log;
  }

  /** True while a connection error has been seen and no connection has succeeded since. */
  get down(): boolean {
    return this.downSince !== null;
  }

  /**
   * Call with any error from the database. Returns whether it was a
   * connection error (the caller should wait and retry, and need not log it:
   * the first one of an outage is logged here).
   */
  failed(err: unknown): boolean {
    if (!isConnectionError(err)) return false;
    if (this.downSince === null) {
      this.downSince = Date.now();
      this.log("warn", "database unavailable; retrying until it is back", { error: (err as Error)?.message ?? String(err) });
    }
    return true;
  }

  /** Call when a connection was made or a statement succeeded. */
  ok(): void {
    if (this.downSince === null) return;
    const downForMs = Date.now() - this.downSince;
    this.downSince = null;
    this.log("info", "database available again", { downForMs });
  }
}

/**
 * Delays for retrying while the database is away: 100 ms doubling to `maxMs`
 * (1 s by default, so work resumes within about a second of the database
 * coming back), reset by a success.
 */
export class Backoff {
  private next: number;

  constructor(private readonly minMs = 100, private readonly maxMs = 1000) {
    this.next = minMs;
  }

  /** The delay to wait now; each call doubles the next one, up to the maximum. */
  delay(): number {
    const d = this.next;
    this.next = Math.min(this.next * 2, this.maxMs);
    return d;
  }

  reset(): void {
    this.next = this.minMs;
  }
}
