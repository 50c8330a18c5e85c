import type { Caller } from "../context.ts";

/** A request an invocation created (task kind `request`), as the scheduler sees it. */
export interface LinkedRequest {
  id: string;
  state: string;
  totalJobs: number;
}

/**
 * The chains' requests as invocations of task kind `request` use them. The
 * scheduler imports nothing of chains: engine.ts passes its Requests, which
 * has this shape. The invocation ends when its request does (chains tell
 * the scheduler through their own hooks: host/request-link.ts).
 */
export interface RequestRunner {
  /** Creates a request of `type` linked to the invocation; REQUEST_INVALID when its spec or args are. */
  create(
    caller: Caller, input: { type: string; args: Record<string, unknown>; start: boolean }, links: { invocationId?: string },
  ): Promise<LinkedRequest>;
  /** PENDING → RUNNING; CONFLICT when it is not PENDING. */
  start(caller: Caller, id: string, reason?: string): Promise<unknown>;
}

/** What the scheduler tells, and asks of, the rest of the engine (wired in engine.ts). */
export interface SchedulerHooks {
  /** Invocations an operator aborted (their requests, for task kind `request`, are stopped). */
  invocationsAborted?: (caller: Caller, invocationIds: string[]) => Promise<void>;
  /** Runs tasks of kind `request`; without it they fail. */
  requests?: RequestRunner;
}
