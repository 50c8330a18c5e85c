import type { EngineContext } from "../context.ts";
import { HourglassError, translatePgError } from "../errors.ts";
import { CONTINUATION_END, decodeContinuation, encodeContinuation } from "./continuation.ts";
import { checkQueueName, formatJobDescriptor, parseJobDescriptor } from "./descriptors.ts";
import type { Queues } from "./queues.ts";
import { type GetJobCountInput, type LookupJobsInput, type ScanJobsInput } from "./schemas.ts";
import { countJobs } from "./sql/countJobs.ts";
import { scanJobsOfPriority, type ScannedRow } from "./sql/scanJobs.ts";
import type { QueueJobState } from "./states.ts";
import type { AttemptInfo, HistoryEntry, JobInfo } from "./types.ts";
import type { EventLog } from "../events/log.ts";
import { jobHistory } from "./history.ts";

export { CONTINUATION_END, CONTINUATION_START, decodeContinuation, encodeContinuation } from "./continuation.ts";

const atOrUndefined = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

function rowToInfo(queueName: string, row: ScannedRow & { body?: string }): JobInfo {
  return {
    jobDescriptor: formatJobDescriptor(queueName, row.id),
    queueName,
    jobState: row.state as QueueJobState,
    priority: row.priority,
    attemptsAllowed: row.attempts_allowed,
    attemptsRemaining: row.attempts_remaining,
    customStatus: row.custom_status,
    createdAtTimestampMillis: row.created_at.getTime(),
    runAfterTimestampMillis: row.run_after.getTime(),
    updatedAtTimestampMillis: row.updated_at.getTime(),
    claimDescriptor: row.claim_descriptor,
    ...(row.body !== undefined && { body: row.body }),
  };
}

export interface JobDetails extends JobInfo {
  body: string;
  /** The first page of its history, oldest first (see jobHistory for the rest). */
  history: HistoryEntry[];
  /** Pass to jobHistory as `after` for the next page; null when the history is complete. */
  historyNext: string | null;
  /** How many events the job has. */
  historyTotal: number;
  attempts: AttemptInfo[];
  claimedAtTimestampMillis: number | null;
  finishedAtTimestampMillis: number | null;
  /** IN_PROGRESS: when the lease lapses; SUCCEEDED / FAILED: when GC deletes the job. */
  expiresAtTimestampMillis: number | null;
}

/** Lookups, counts and scans: read-only views of jobs. */
export class JobReads {
  constructor(
    private readonly ctx: EngineContext,
    private readonly queues: Queues,
    private readonly events: EventLog,
  ) {}

  /** PinLater's lookupJobs: a map from descriptor to info; unknown descriptors are left out. */
  async lookupJobs(input: LookupJobsInput): Promise<Record<string, JobInfo>> {
    const parsed = input.jobDescriptors.map(parseJobDescriptor);
    const rows = await this.ctx.db.sql.query<ScannedRow & { queue_name: string; body?: string }>(
      `SELECT id::text AS id, queue_name, state::text AS state, priority, attempts_allowed, attempts_remaining,
              custom_status, created_at, run_after, updated_at, claim_descriptor ${input.includeBody ? ", body" : ""}
         FROM queue_job WHERE id = ANY($1::bigint[])`,
      [parsed.map((p) => p.id)],
    );
    const wanted = new Set(input.jobDescriptors);
    const result: Record<string, JobInfo> = {};
    for (const row of rows.rows) {
      const info = rowToInfo(row.queue_name, row);
      if (wanted.has(info.jobDescriptor)) result[info.jobDescriptor] = info;
    }
    return result;
  }

  /** Everything the dashboard's job page shows. */
  async getJobDetails(jobDescriptor: string): Promise<JobDetails> {
    const { queueName, id } = parseJobDescriptor(jobDescriptor);
    const job = await this.ctx.db.prisma.queueJob.findFirst({
      where: { id: BigInt(id), queueName },
      include: { attempts: { orderBy: { attempt: "asc" } } },
    });
    if (!job) throw new HourglassError("JOB_NOT_FOUND", `job ${jobDescriptor} does not exist (it may have been deleted by GC)`);
    return {
      ...rowToInfo(queueName, {
        id, state: job.state, priority: job.priority, attempts_allowed: job.attemptsAllowed,
        attempts_remaining: job.attemptsRemaining, custom_status: job.customStatus, created_at: job.createdAt,
        run_after: job.runAfter, updated_at: job.updatedAt, claim_descriptor: job.claimDescriptor,
      }),
      body: job.body,
      ...(await this.jobHistory(jobDescriptor, undefined, job)),
      claimedAtTimestampMillis: job.claimedAt?.getTime() ?? null,
      finishedAtTimestampMillis: job.finishedAt?.getTime() ?? null,
      expiresAtTimestampMillis: job.expiresAt?.getTime() ?? null,
      attempts: job.attempts.map((a) => ({
        attempt: a.attempt,
        claimDescriptor: a.claimDescriptor,
        startedAtTimestampMillis: a.startedAt.getTime(),
        finishedAtTimestampMillis: a.finishedAt.getTime(),
        succeeded: a.succeeded,
        exitCode: a.exitCode,
        httpStatus: a.httpStatus,
        stdout: a.stdout,
        stderr: a.stderr,
        error: a.error,
      })),
    };
  }

  /** A page of a job's history from the event log (complete: nothing is capped), oldest first. */
  async jobHistory(
    jobDescriptor: string,
    after?: string,
    known?: { state: string; claimedAt: Date | null; claimDescriptor: string | null },
  ): Promise<{ history: HistoryEntry[]; historyNext: string | null; historyTotal: number }> {
    const { queueName, id } = parseJobDescriptor(jobDescriptor);
    const job = known ?? (await this.ctx.db.prisma.queueJob.findFirst({ where: { id: BigInt(id), queueName } }));
    if (!job) throw new HourglassError("JOB_NOT_FOUND", `job ${jobDescriptor} does not exist (it may have been deleted by GC)`);
    const page = await this.events.history("queue_job", id, { after, limit: 200 });
    return { history: jobHistory(page.events, job, page.next === null), historyNext: page.next, historyTotal: page.total };
  }

  /** Capped at COUNT_CAP (PinLater caps at 100k per shard); `capped` says the true count may be higher. */
  async getJobCount(input: GetJobCountInput): Promise<{ count: number; capped: boolean }> {
    await this.queues.row(input.queueName);
    const count = await countJobs(
      this.ctx.db.sql,
      {
        queueName: input.queueName, state: input.jobState, priority: input.priority,
        future: input.countFutureJobs, bodyRegex: input.bodyRegexToMatch, now: this.ctx.clock.now(),
      },
      input.cap,
    ).catch((err) => translatePgError(err, {}));
    return { count, capped: count >= input.cap };
  }

  /**
   * PinLater's scanJobs, newest runAfter first, with real keyset pagination:
   * pass the returned continuation to get the next page ("-1" = no more).
   * Without a priority, each priority is read with its own index walk and the
   * pages are merged, so the cost stays `limit` rows per priority.
   */
  async scanJobs(input: ScanJobsInput): Promise<{ scannedJobs: JobInfo[]; continuation: string }> {
    checkQueueName(input.queueName);
    if (input.continuation === CONTINUATION_END) return { scannedJobs: [], continuation: CONTINUATION_END };
    const cursor = decodeContinuation(input.continuation);
    await this.queues.row(input.queueName);
    const now = this.ctx.clock.now();
    const priorities = input.priority !== undefined ? [input.priority] : [1, 2, 3];
    const pages = await Promise.all(
      priorities.map((priority) =>
        scanJobsOfPriority(
          this.ctx.db.sql,
          {
            queueName: input.queueName, state: input.jobState, priority, future: input.scanFutureJobs, bodyRegex: input.bodyRegexToMatch, now,
            runAfterFrom: atOrUndefined(input.runAfterSinceTimestampMillis), runAfterTo: atOrUndefined(input.runAfterUntilTimestampMillis),
          },
          cursor,
          input.limit + 1,
        ),
      ),
    ).catch((err) => translatePgError(err, {}));
    const merged = pages
      .flat()
      .sort((a, b) => b.run_after.getTime() - a.run_after.getTime() || (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
    const page = merged.slice(0, input.limit);
    const last = page[page.length - 1];
    return {
      scannedJobs: page.map((row) => rowToInfo(input.queueName, row)),
      continuation: merged.length > input.limit && last ? encodeContinuation({ runAfter: last.run_after, id: last.id }) : CONTINUATION_END,
    };
  }
}
