import { StringDecoder } from "node:string_decoder";
import type { Sql } from "@hourglass/db";
import { OUTPUT_LIMIT } from "../../executors/types.ts";
import type { Logger } from "../../logger.ts";
import { appendDebugLogText, logLine } from "./debug-log.ts";

/** A running task's output reaches its debug log at least this often... */
export const OUTPUT_FLUSH_MS = 500;
/** ...and as soon as this much is held. */
export const OUTPUT_FLUSH_BYTES = 8 * 1024;

type Stream = "stdout" | "stderr";

/**
 * Streams a running task's stdout and stderr into its invocation's debug
 * log, so the invocation page (which follows the log) shows it live and
 * nothing printed is lost if the task is aborted, fails or its worker stops.
 * Chunks are held and appended every OUTPUT_FLUSH_MS, or at once when
 * OUTPUT_FLUSH_BYTES are held; each block follows a `[time] stdout:` line
 * (a line split across two appends continues under a second header). Each
 * stream keeps at most OUTPUT_LIMIT bytes, as the executors' own captures
 * do, then notes how much it dropped; the log keeps its newest
 * DEBUG_LOG_LIMIT. Appends are one UPDATE each, run in order, and not guarded
 * by the invocation's state: an aborted invocation keeps its task's output.
 */
export class TaskOutputLog {
  private held: { stream: Stream; text: string }[] = [];
  private heldBytes = 0;
  private readonly kept = { stdout: 0, stderr: 0 };
  private readonly dropped = { stdout: 0, stderr: 0 };
  private readonly decoders = { stdout: new StringDecoder("utf8"), stderr: new StringDecoder("utf8") };
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly sql: Sql,
    private readonly invocationId: string,
    private readonly now: () => Date,
    private readonly logger: Logger,
  ) {}

  push(stream: Stream, chunk: Buffer): void {
    const room = OUTPUT_LIMIT - this.kept[stream];
    const part = chunk.length > room ? chunk.subarray(0, Math.max(room, 0)) : chunk;
    this.kept[stream] += part.length;
    this.dropped[stream] += chunk.length - part.length;
    if (part.length === 0) return;
    this.hold(stream, this.decoders[stream].write(part));
    this.heldBytes += part.length;
    if (this.heldBytes >= OUTPUT_FLUSH_BYTES) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), OUTPUT_FLUSH_MS).unref();
  }

  /** Appends what is held; resolves when every append so far is written. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.held.length === 0) return this.writing;
    const at = this.now();
    const text = this.held
      .map((b) => logLine(at, `${b.stream}:`) + b.text + (b.text.endsWith("\n") ? "" : "\n"))
      .join("")
      .replaceAll("\0", "\uFFFD"); // PostgreSQL text cannot hold NUL
    this.held = [];
    this.heldBytes = 0;
    this.writing = this.writing
      .then(() => appendDebugLogText(this.sql, this.invocationId, text))
      .catch((err: Error) => {
        // output is best effort: the run's result (and its bounded output) is recorded separately
        this.logger.warn("task output not written to the debug log", { invocationId: this.invocationId, error: err.message });
      });
    return this.writing;
  }

  /** The task ended: appends the rest (and what the caps dropped) and waits for every append. */
  async close(): Promise<void> {
    for (const stream of ["stdout", "stderr"] as const) {
      this.hold(stream, this.decoders[stream].end());
      if (this.dropped[stream] > 0) this.hold(stream, `… [${this.dropped[stream]} more bytes not kept]\n`);
    }
    await this.flush();
  }

  private hold(stream: Stream, text: string): void {
    if (text === "") return;
    const last = this.held[this.held.length - 1];
    if (last?.stream === stream) last.text += text;
    else this.held.push({ stream, text });
  }
}
