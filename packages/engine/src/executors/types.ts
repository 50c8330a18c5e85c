import type { Logger } from "../logger.ts";

/** A claimed job as an executor sees it. */
export interface ExecutionInput {
  jobDescriptor: string;
  queueName: string;
  body: string;
  attempt: number;
  attemptsRemaining: number;
}

/** What a run produced. Output fields are already bounded (OUTPUT_LIMIT). */
export interface ExecutionResult {
  succeeded: boolean;
  exitCode?: number | null;
  httpStatus?: number | null;
  stdout?: string;
  stderr?: string;
  error?: string | null;
  /** Data a chain job sets for its children (handlers; shell and http print `::set name=value` lines). */
  sets?: Record<string, unknown>;
}

/**
 * What the queue runtime hands a handler running a queue job, besides the
 * job and its signal: a logger naming the job, and its claim's checkpoint.
 */
export interface JobTools {
  logger: Logger;
  /**
   * Extends the job's lease now, optionally saving a new body (a retry starts
   * from it) or replacing its custom status. Resolves false when this worker
   * no longer holds the job (its lease lapsed, or it was deleted): the run's
   * result will be ignored.
   */
  checkpoint(change?: { body?: string; customStatus?: string }): Promise<boolean>;
}

/**
 * A job handler written in TypeScript and registered with the worker.
 * Returning (nothing or a result) is success unless the result says otherwise;
 * throwing is failure, with the error's message kept for the attempt.
 * `tools` is given for queue jobs; a chain job or scheduler task of the
 * handler's name runs without it (it has no queue job to checkpoint).
 */
export type JobHandler = (job: ExecutionInput, signal: AbortSignal, tools?: JobTools) => Promise<ExecutionResult | void>;

/** Sees output as a run produces it: each chunk of stdout or stderr (an http response body counts as stdout). */
export type OutputListener = (stream: "stdout" | "stderr", chunk: Buffer) => void;

/** Captured stdout / stderr / response bodies keep at most this many bytes each. */
export const OUTPUT_LIMIT = 64 * 1024;

/** Collects a stream's bytes up to OUTPUT_LIMIT, noting how much was dropped. */
export class BoundedOutput {
  private chunks: Buffer[] = [];
  private kept = 0;
  private dropped = 0;
  push(chunk: Buffer): void {
    const room = OUTPUT_LIMIT - this.kept;
    if (room <= 0) {
      this.dropped += chunk.length;
      return;
    }
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(part);
    this.kept += part.length;
    this.dropped += chunk.length - part.length;
  }
  /** UTF-8 text; NUL bytes (which PostgreSQL text cannot hold) become U+FFFD. */
  toString(): string {
    const text = Buffer.concat(this.chunks).toString("utf8").replaceAll("\0", "\uFFFD");
    return this.dropped > 0 ? `${text}\n… [${this.dropped} more bytes not kept]` : text;
  }
}
