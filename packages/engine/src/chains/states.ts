/**
 * A request's states (Spin Cycle's). Transitions: PENDING → RUNNING →
 * COMPLETE | FAIL | STOPPED; RUNNING ⇄ SUSPENDED; PENDING / SUSPENDED →
 * STOPPED; SUSPENDED → FAIL (past its TTL, or resumed after a job failed).
 */
export const REQUEST_STATES = [
  "PENDING", // created, its chain stored; not started
  "RUNNING", // its jobs run as their parents complete
  "SUSPENDED", // paused with progress kept (by an operator, or a worker shutting down); resume continues it
  "COMPLETE", // every job completed
  "FAIL", // a job failed with no retries left, or it stayed suspended past its TTL
  "STOPPED", // stopped by an operator; running jobs were killed
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/** States in which the chain is done: nothing moves a request out of them. */
export const FINAL_REQUEST_STATES = ["COMPLETE", "FAIL", "STOPPED"] as const satisfies readonly RequestState[];

export function isFinalRequestState(state: string): boolean {
  return (FINAL_REQUEST_STATES as readonly string[]).includes(state);
}
