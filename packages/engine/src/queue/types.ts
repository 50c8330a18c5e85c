import type { ExecutorConfig } from "../executors/config.ts";
import type { QueueJobState } from "./states.ts";

/** A queue's settings as the API returns them (times in epoch millis). */
export interface QueueInfo {
  name: string;
  /** The project it belongs to: who may see and use it (queues:<action>:<project>/<name>). */
  project: string;
  /** One of Hourglass's own queues (name prefix `hourglass_`): readable, written only by the engine. */
  system: boolean;
  createdAtTimestampMillis: number;
  claimTimeoutMillis: number;
  succeededRetentionMillis: number;
  failedRetentionMillis: number;
  /** Jobs per second; null = unlimited, 0 = paused. */
  dequeueRateLimit: number | null;
  paused: boolean;
  pausedAtTimestampMillis: number | null;
  pausedBy: string | null;
  executor: ExecutorConfig | null;
}

/** PinLaterJobInfo, plus the job's priority and queue. */
export interface JobInfo {
  jobDescriptor: string;
  queueName: string;
  jobState: QueueJobState;
  priority: number;
  attemptsAllowed: number;
  attemptsRemaining: number;
  customStatus: string;
  createdAtTimestampMillis: number;
  runAfterTimestampMillis: number;
  updatedAtTimestampMillis: number;
  claimDescriptor: string | null;
  body?: string;
}

export interface HistoryEntry {
  at: string;
  state: QueueJobState;
  by: string;
  note: string;
  /** The event it comes from (absent for a claim, which is shown from the event that ended it). */
  eventId?: string;
}

export interface AttemptInfo {
  attempt: number;
  claimDescriptor: string;
  startedAtTimestampMillis: number;
  finishedAtTimestampMillis: number;
  succeeded: boolean;
  exitCode: number | null;
  httpStatus: number | null;
  stdout: string;
  stderr: string;
  error: string | null;
}

export interface DequeueMetadata {
  attemptsAllowed: number;
  attemptsRemaining: number;
  /** Hourglass: names this claim; pass it back in acks / checkpoints to make stale ones no-ops. */
  claimDescriptor: string | null;
  priority: number;
}

export interface DequeueResponse {
  jobs: Record<string, string>;
  jobMetadata: Record<string, DequeueMetadata>;
}
