/**
 * The chain runner's decisions, pure: what a failed try leads to, and the
 * data a job passes on. The host (host/runner.ts) loads the few rows a
 * decision needs and applies it in one transaction. Readiness is kept in the
 * rows instead (each job counts its parents not yet COMPLETE; a job runs when
 * the count reaches 0; see sql/completeJob.ts), so a completion costs the
 * same whatever its children's number of parents.
 */

export interface SequenceTries { id: string; parentId: string | null; retry: number; tries: number }

export type FailureDecision =
  /** Run the job again after its retry wait. */
  | { kind: "retry-job"; afterMillis: number }
  /** Rerun this sequence (the innermost one with tries left) from its start. */
  | { kind: "retry-sequence"; sequenceId: string }
  /** No retries left: the job fails, and with it the request once nothing else runs. */
  | { kind: "fail" };

/**
 * A try failed. Job retries come first (`retry` more tries, `retryWait`
 * apart); then the job's sequence, or the nearest enclosing one, reruns whole
 * if it has tries left; otherwise the job has failed for good.
 * `sequences` is the job's sequence followed by its ancestors.
 */
export function afterFailure(job: { tries: number; retry: number; retryWaitMillis: number }, sequences: SequenceTries[]): FailureDecision {
  if (job.tries <= job.retry) return { kind: "retry-job", afterMillis: job.retryWaitMillis };
  const seq = sequences.find((s) => s.tries <= s.retry);
  return seq ? { kind: "retry-sequence", sequenceId: seq.id } : { kind: "fail" };
}

/** The data a job passes on: what its parents passed on, then what it set (its own values win). */
export function mergeData(parents: Record<string, unknown>[], sets: Record<string, unknown>): Record<string, unknown> {
  return Object.assign({}, ...parents, sets);
}

/** `::set name=value` lines of a job's output (value parsed as JSON when it is JSON). */
export function parseSetLines(stdout: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of (stdout ?? "").matchAll(/^::set ([A-Za-z0-9_.-]+)=(.*)$/gm)) {
    const raw = m[2]!.trim();
    try {
      out[m[1]!] = JSON.parse(raw);
    } catch {
      out[m[1]!] = raw;
    }
  }
  return out;
}
