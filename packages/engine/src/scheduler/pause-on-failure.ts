import type { InvocationState } from "./invocation-states.ts";

/**
 * Pause on failure, pure: a job whose definition says `pause_after_failures: N`
 * pauses itself when its N newest finished invocations since it was last
 * resumed all FAILED (an ABORTED or SUCCEEDED one breaks the streak). The host
 * (host/pause-on-failure.ts) reads those states when an invocation of such a
 * job fails, in the transaction that ends it, and pauses the job with
 * sql/pauseFailingJobs.ts.
 */

/** How many of `newestFirst` (final states, newest first) failed in a row from the newest. */
export function failureStreak(newestFirst: readonly InvocationState[]): number {
  const firstOther = newestFirst.findIndex((s) => s !== "FAILED");
  return firstOther === -1 ? newestFirst.length : firstOther;
}

/** The reason a job paused on failure gives (its `paused` event's and pause_reason). */
export const pauseOnFailureReason = (failures: number) => `paused after ${failures} consecutive failed invocations`;

/** Whether a job with `pause_after_failures: limit` pauses, given its newest finished invocations' states. */
export function pausesOnFailure(limit: number | undefined, newestFirst: readonly InvocationState[]): boolean {
  return limit !== undefined && failureStreak(newestFirst) >= limit;
}
