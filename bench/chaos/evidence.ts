// What a drain's executions and its queue's records say, job by job: which
// jobs ran more than once and whether a fault explains each extra run, and
// which completed twice. Pure: the drain gathers the inputs.
import type { Execution } from "./counter.ts";

/** A fault the benchmark caused: a kill (at = until) or a database restart (from pg_ctl until it answers). */
export interface Fault {
  at: number;
  until: number;
}

/** A queue_job row of a job of interest. */
export interface JobRecord {
  id: string;
  state: string;
  claimDescriptor: string | null;
  history: { at: string; state: string; by: string; note: string }[];
}

/** A queue_job_attempt row (the worker stores one per http run it finished, before its ack). */
export interface AttemptRecord {
  jobId: string;
  claimDescriptor: string;
  succeeded: boolean;
}

/**
 * A run whose answer arrived this long before a fault still counts as in
 * flight at it: the worker acks after the answer, in batches, so a kill (or
 * a lost connection) just after the call can lose the ack.
 */
export const ACK_SLACK_MS = 1000;

/** How each claim of a job ended, from its history: claim descriptor ("<n>@<worker>") → the entry that closed it. */
export function claimEndings(job: JobRecord): Map<string, { by: string; note: string; state: string }> {
  const endings = new Map<string, { by: string; note: string; state: string }>();
  const h = job.history;
  for (let i = 0; i + 1 < h.length; i++) {
    const m = /^claimed, attempt (\d+)$/.exec(h[i]!.note);
    if (h[i]!.state === "IN_PROGRESS" && m) endings.set(`${m[1]}@${h[i]!.by}`, h[i + 1]!);
  }
  return endings;
}

/** A claim handed back without a successful ack: its lease lapsed (resurrector), or its worker released it. */
export function handedBack(ending: { by: string; note: string } | undefined): boolean {
  if (!ending) return false;
  return ending.by === "resurrector"
    || ending.note.startsWith("released unfinished")
    || ending.note.startsWith("claim lost with its connection");
}

export interface DoubleRuns {
  /** Jobs the counter server saw more than once. */
  jobs: number;
  /** Of those, jobs whose every extra run a fault explains. */
  explained: number;
  /** How: an extra run in flight at a fault (its timing), or its claim handed back (the queue's history). */
  byTiming: number;
  byHistory: number;
  /** Up to five unexplained jobs, with their runs, for the report. */
  examples: string[];
}

/**
 * A job that ran more than once is explained when each run but the one
 * that completed it was in flight at a fault (started before it ended,
 * answered at most ACK_SLACK_MS before it began), or its claim was handed
 * back (history: resurrection or release). A claim run twice is never
 * explained (a worker must not start one claim twice), nor a run under a
 * claim taken after the job completed.
 */
export function doubleRuns(byJob: Map<string, Execution[]>, records: Map<string, JobRecord>, faults: Fault[]): DoubleRuns {
  const result: DoubleRuns = { jobs: 0, explained: 0, byTiming: 0, byHistory: 0, examples: [] };
  for (const [descriptor, runs] of byJob) {
    if (runs.length < 2) continue;
    result.jobs++;
    const job = records.get(descriptor.slice(descriptor.indexOf(":") + 1));
    const endings = job ? claimEndings(job) : new Map();
    const finalAttempt = job?.state === "SUCCEEDED" && job.claimDescriptor ? Number(job.claimDescriptor.split("@")[0]) : null;
    const attempts = runs.map((r) => r.attempt);
    let timing = false;
    let history = false;
    // a claim run twice, or a run after the claim that completed the job, has no excuse
    let ok = new Set(attempts).size === attempts.length && (finalAttempt === null || attempts.every((a) => a <= finalAttempt));
    for (const run of runs) {
      if (!ok) break;
      if (run.attempt === finalAttempt) continue;
      const inFlight = faults.some((f) => run.start <= f.until && run.end + ACK_SLACK_MS >= f.at);
      const ending = [...endings.entries()].find(([claim]) => claim.startsWith(`${run.attempt}@`))?.[1];
      if (inFlight) timing = true;
      if (handedBack(ending)) history = true;
      ok = inFlight || handedBack(ending);
    }
    if (ok) {
      result.explained++;
      if (timing) result.byTiming++;
      if (history) result.byHistory++;
    } else if (result.examples.length < 5) {
      const time = (t: number) => new Date(t).toISOString().slice(11, 23);
      const shown = runs.map((r) => `attempt ${r.attempt} ${time(r.start)}–${time(r.end)}${r.answered ? "" : " (cut off)"}`);
      result.examples.push(`${descriptor}: ${shown.join(", ")}; final claim ${job?.claimDescriptor ?? "?"} ${job?.state ?? "?"}; `
        + `history ${JSON.stringify(job?.history ?? [])}`);
    }
  }
  return result;
}

/**
 * Jobs completed twice. A success writes no history (the final claim is in
 * the job's columns), so a completion is seen in its attempt record: a
 * succeeded attempt of a claim that is not the job's final one, and that the
 * history does not show handed back, had its ack applied, and the job then
 * completed again under a later claim.
 */
export function completedTwice(records: Map<string, JobRecord>, succeededAttempts: AttemptRecord[]): string[] {
  const twice = new Set<string>();
  for (const a of succeededAttempts) {
    const job = records.get(a.jobId);
    if (!job || job.claimDescriptor === a.claimDescriptor) continue;
    if (!handedBack(claimEndings(job).get(a.claimDescriptor))) twice.add(a.jobId);
  }
  return [...twice];
}

/**
 * Per kill, how long until the last of the killed worker's claims that the
 * counter server saw ran again: those that were running when it died come
 * back once their lease lapses (the queue's claim timeout) and the
 * resurrector runs. Kills with no such claim are left out.
 */
export function claimsBack(
  byJob: Map<string, Execution[]>, records: Map<string, JobRecord>, kills: { at: number; worker: string }[],
): number[] {
  const worst = new Map<string, number>();
  const killedAt = new Map(kills.map((k) => [k.worker, k.at]));
  for (const [descriptor, runs] of byJob) {
    const job = records.get(descriptor.slice(descriptor.indexOf(":") + 1));
    if (!job || runs.length < 2) continue;
    for (const [claim, ending] of claimEndings(job)) {
      const [attempt, worker] = [Number(claim.split("@")[0]), claim.slice(claim.indexOf("@") + 1)];
      const at = killedAt.get(worker);
      if (at === undefined || !handedBack(ending)) continue;
      const next = runs.filter((r) => r.attempt > attempt).sort((a, b) => a.attempt - b.attempt)[0];
      if (next) worst.set(worker, Math.max(worst.get(worker) ?? 0, next.start - at));
    }
  }
  return [...worst.values()];
}
