import type { Sql } from "@hourglass/db";

/** The debug log keeps its newest 64 KiB; older lines are trimmed first. */
export const DEBUG_LOG_LIMIT = 64 * 1024;

/** A debug-log line: `[hh:mm:ss.mmm] message` (UTC), newline-terminated. */
export function logLine(at: Date, message: string): string {
  return logStamp(at) + message + "\n";
}

/** A line's time prefix, for writing many lines stamped alike. */
export function logStamp(at: Date): string {
  return `[${at.toISOString().slice(11, 23)}] `;
}

export async function appendDebugLog(sql: Sql, invocationId: string, at: Date, ...messages: string[]): Promise<void> {
  const text = messages.map((m) => logLine(at, m)).join("");
  await sql.query(
    `UPDATE scheduler_invocation SET debug_log = right(debug_log || $2, ${DEBUG_LOG_LIMIT}) WHERE id = $1`,
    [invocationId, text],
  );
}

/** Appends text already made of log lines (see logLine) to an invocation's debug log, whatever its state. */
export async function appendDebugLogText(sql: Sql, invocationId: string, text: string): Promise<void> {
  await sql.query(
    `UPDATE scheduler_invocation SET debug_log = right(debug_log || $2, ${DEBUG_LOG_LIMIT}) WHERE id = $1`,
    [invocationId, text],
  );
}
