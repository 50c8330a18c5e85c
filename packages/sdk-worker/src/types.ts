// The SDK's public types, written here rather than re-exported from the
// engine, so the published declarations name nothing of Hourglass's sources.

/** Where log lines go: a message that stays a fixed sentence, and fields (queue, jobDescriptor, …). */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child?(bindings: Record<string, unknown>): Logger;
}

/** A claimed queue job, as its handler sees it. */
export interface Job {
  /** `<queue>:<id>`, as the API and the dashboard name it. */
  descriptor: string;
  id: string;
  queueName: string;
  body: string;
  /** 1 for the first run, 2 for the first retry, … */
  attempt: number;
  /** Runs left after this one fails. */
  attemptsRemaining: number;
}

export interface HandlerContext {
  job: Job;
  /**
   * Aborted when the worker stops and the grace period is over, or the job's
   * time is up: stop, and the job is handed back (it runs again elsewhere).
   */
  signal: AbortSignal;
  /** The worker's logger, naming the job in every line. */
  logger: Logger;
  /**
   * Extends the job's lease now (before a long step) and, with `body`, saves
   * it as the job's body, so a retry starts from there. Resolves false when
   * this worker no longer holds the job (its lease lapsed, or it was
   * deleted): what the handler does next will be ignored, so stop.
   */
  checkpoint(change?: { body?: string }): Promise<boolean>;
  /** Replaces the job's custom status now (a progress line the dashboard shows); false as for checkpoint. */
  setCustomStatus(status: string): Promise<boolean>;
}

/** What a handler may return: output kept with the attempt, data a chain job sets for its children. */
export interface HandlerResult {
  output?: string;
  sets?: Record<string, unknown>;
}

/**
 * Runs one job. Returning is success; throwing is failure (the job runs again
 * after its queue's retry delay while attempts remain; the error's message is
 * kept with the attempt).
 */
export type Handler = (context: HandlerContext) => Promise<HandlerResult | void>;

/** Jobs from the database itself: the engine's runtime, with LISTEN/NOTIFY wake-ups. */
export interface DatabaseConnection {
  /** postgresql://… of Hourglass's database. */
  databaseUrl: string;
  /** Connections in the worker's pool (default 10). */
  poolMax?: number;
}

/** Jobs over the API (no database access): dequeue, ack and checkpoint with an API token. */
export interface ApiConnection {
  /** Where Hourglass answers, e.g. https://hourglass.example.com. */
  url: string;
  /** An API token with `queues:consume` and `queues:read` on the worker's queues. */
  token: string;
}

export type Connection = DatabaseConnection | ApiConnection;

export interface WorkerOptions {
  /**
   * Handlers by name. A queue runs one when its executor is
   * `{ kind: "handler", name: "<name>" }`; workers that do not register the
   * name leave the queue alone.
   */
  handlers: Record<string, Handler>;
  /**
   * Only these queues. Over the database, default: every queue bound to one
   * of `handlers` (new ones are found within 2 s). Over the API: required.
   */
  queues?: string[];
  /** Jobs running at once (default 10). */
  concurrency?: number;
  /** Claimed jobs held ready beyond `concurrency` (default 0). */
  prefetch?: number;
  /** How often to look for due jobs without a wake-up (default 1000 ms; over the API every look is a dequeue call). */
  pollIntervalMs?: number;
  /** On stop, running jobs get this long to finish before their signal aborts and they are handed back (default 10 s). */
  shutdownGraceMs?: number;
  /** Names the worker in claims and job histories (default `sdk-<host>-<pid>`). */
  workerId?: string;
  /** Default: JSON-free lines on stderr at info. */
  logger?: Logger;
  /**
   * Database only: also run the queue's maintenance (hand back jobs whose
   * leases lapsed, delete finished jobs past retention), as Hourglass's
   * worker does; safe beside it. Default true.
   */
  maintenance?: boolean;
  /** Database only: "listen" (default) or "poll" (the embedded database, where NOTIFY reaches no other connection). */
  wakeups?: "listen" | "poll";
}

export interface WorkerStats {
  claimed: number;
  succeeded: number;
  failed: number;
  released: number;
}

export interface Worker {
  readonly workerId: string;
  /** Starts claiming. */
  start(): Promise<void>;
  /**
   * Stops claiming, hands back claimed jobs not started, waits for running
   * ones (within `shutdownGraceMs`, then aborts their signal and hands them
   * back), acks what finished, and closes its connections.
   */
  stop(): Promise<void>;
  /** Stops gracefully on SIGTERM / SIGINT; resolves once stopped. */
  stopOnSignals(signals?: NodeJS.Signals[]): Promise<void>;
  readonly stats: WorkerStats;
}
