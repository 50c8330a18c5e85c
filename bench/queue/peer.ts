/** One queue system under test, driven identically by main.ts. */
export interface Peer {
  name: string;
  /** Prepare a fresh database (schema, queue). */
  setup(url: string): Promise<void>;
  /** Enqueue one bulk call of jobs whose payloads are these ids. */
  enqueue(ids: number[]): Promise<void>;
  /** Start consuming; `onJob` must be called once per job as its handler starts. */
  startWorker(onJob: (id: number) => void): Promise<void>;
  stopWorker(): Promise<void>;
  /**
   * SQL returning `n`: how many of the `$1` drained jobs are finished in the
   * database by the system's own record of it (the durable-drain clock).
   */
  finishedSql: string;
  /** SQL returning `n`: rows in the system's event / history log, if it keeps one (events written per second). */
  eventsSql?: string;
  teardown(): Promise<void>;
}
