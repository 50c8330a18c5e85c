/** A background part of a worker besides the queue runtime (an alert evaluator, a log follower…). */
export interface WorkerPart {
  start(): Promise<void>;
  stop(): void;
}
