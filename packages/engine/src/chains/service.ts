import { randomBytes } from "node:crypto";
import type { Caller, EngineContext } from "../context.ts";
import { HourglassError } from "../errors.ts";
import type { EventLog, HistoryPage } from "../events/log.ts";
import type { QueueAdmin } from "../queue/admin.ts";
import { withTransaction } from "../transaction.ts";
import { RequestBulk } from "./bulk.ts";
import { ChainError, expandRequest } from "./expand.ts";
import { tellEnded, type ChainHooks } from "./hooks.ts";
import { CHAIN_JOB_HANDLER, CHAINS_QUEUE, dispatchReady, failIfIdle } from "./host/runner.ts";
import { loadSpecs } from "./host/spec-sync.ts";
import type { CreateRequestInput, FindRequestsInput, HistoryInput, JobHistoryInput } from "./schemas.ts";
import { insertChain } from "./sql/insertChain.ts";
import { requestFilterSql } from "./request-filter.ts";
import { insertRequest } from "./sql/insertRequest.ts";
import { lockRequest } from "./sql/lockRequest.ts";
import { resumeRequest } from "./sql/resumeRequest.ts";
import { retryRequest } from "./sql/retryRequest.ts";
import { startRequest } from "./sql/startRequest.ts";
import { stopRequest } from "./sql/stopRequest.ts";
import { suspendRequest } from "./sql/suspendRequest.ts";
import { STOPPABLE_REQUEST_STATES, type RequestState } from "./states.ts";

export const HOURGLASS_VERSION = "0.4.0";


const REQUEST_COLUMNS = `id, type, project, state::text AS state, "user", args, created_at, started_at, finished_at, total_jobs, finished_jobs,
  spec_revision, suspended_at, suspend_reason, invocation_id::text AS invocation_id,
  (SELECT i.job_key FROM scheduler_invocation i WHERE i.id = request.invocation_id) AS invocation_job_key`;

interface RequestRow {
  id: string; type: string; project: string; state: string; user: string; args: Record<string, unknown>;
  created_at: Date; started_at: Date | null; finished_at: Date | null; total_jobs: number; finished_jobs: number;
  spec_revision: string; suspended_at: Date | null; suspend_reason: string | null; invocation_id: string | null;
  invocation_job_key: string | null;
}

const ms = (d: Date | null) => (d ? d.getTime() : null);
function toRequest(r: RequestRow) {
  return {
    id: r.id, type: r.type, project: r.project, state: r.state, user: r.user, args: r.args,
    createdAt: r.created_at.getTime(), startedAt: ms(r.started_at), finishedAt: ms(r.finished_at),
    totalJobs: r.total_jobs, finishedJobs: r.finished_jobs, specRevision: r.spec_revision,
    suspendedAt: ms(r.suspended_at), suspendReason: r.suspend_reason,
    /** The scheduler invocation that started it (task kind `request`), if any. */
    invocation: r.invocation_id && r.invocation_job_key ? { id: r.invocation_id, jobKey: r.invocation_job_key } : null,
  };
}
export type RequestInfo = ReturnType<typeof toRequest>;

/** A 20-character id (Spin Cycle's ids are xids of the same length). */
function newRequestId(): string {
  return randomBytes(15).toString("base64url").toLowerCase().replace(/[^a-z0-9]/g, "0");
}

/**
 * Spin Cycle's request manager: create (args resolved, chain expanded and
 * stored), start, stop, suspend, resume, and the reads behind the dashboard
 * and the CLI. State changes are guarded writes; a change a request's state
 * does not allow is a CONFLICT that says which state it is in.
 */
export class Requests {
  private queueReady = false;
  /** Stop, suspend and resume of many requests, each through the transition below. */
  readonly bulk: RequestBulk;

  constructor(
    private readonly ctx: EngineContext,
    private readonly queues: QueueAdmin,
    private readonly events: EventLog,
    /** Told of request ends in their transactions; chain runners get the same hooks. */
    readonly hooks: ChainHooks = {},
  ) {
    this.bulk = new RequestBulk(ctx, {
      stop: (caller, id, reason) => this.stop(caller, id, reason),
      suspend: (caller, id, reason) => this.suspend(caller, id, reason),
      resume: (caller, id, reason) => this.resume(caller, id, reason),
    });
  }

  /** Request types: valid `request: true` sequences, with their args. */
  async specs(_caller: Caller) {
    const specs = await loadSpecs(this.ctx);
    const types = [...specs.sequences.values()].filter((s) => s.request).sort((a, b) => a.name.localeCompare(b.name));
    return {
      revision: specs.revision,
      requests: types.filter((s) => specs.valid.has(s.name)).map((s) => ({
        name: s.name, project: s.project, description: s.description ?? "", file: s.file,
        args: [
          ...s.args.required.map((a) => ({ name: a.name, desc: a.desc ?? "", kind: "required" as const, default: null })),
          ...s.args.optional.map((a) => ({ name: a.name, desc: a.desc ?? "", kind: "optional" as const, default: a.default === undefined ? null : String(a.default) })),
        ],
      })),
      errors: specs.allErrors,
    };
  }

  async create(caller: Caller, input: CreateRequestInput, links: { invocationId?: string } = {}) {
    const specs = await loadSpecs(this.ctx);
    let chain;
    try {
      chain = expandRequest(specs, input.type, input.args);
    } catch (err) {
      if (err instanceof ChainError) throw new HourglassError("REQUEST_INVALID", err.message);
      throw err;
    }
    const id = newRequestId();
    const now = this.ctx.clock.now();
    await withTransaction(this.ctx.db.pool, async (sql) => {
      await insertRequest(sql, {
        id, type: input.type, project: specs.sequences.get(input.type)?.project ?? "default", user: caller.id,
        args: chain.args, totalJobs: chain.jobs.length, specRevision: specs.revision,
        invocationId: links.invocationId ?? null,
      }, now, caller.id);
      await insertChain(sql, id, chain.sequences, chain.jobs);
    });
    return this.get(caller, id);
  }

  async get(_caller: Caller, id: string): Promise<RequestInfo> {
    const row = (await this.ctx.db.sql.query<RequestRow>(`SELECT ${REQUEST_COLUMNS} FROM request WHERE id = $1`, [id])).rows[0];
    if (!row) throw new HourglassError("REQUEST_NOT_FOUND", `no such request: ${id}`);
    return toRequest(row);
  }

  /** Spin Cycle's status: the request with its progress and its running jobs. */
  async status(caller: Caller, id: string) {
    const request = await this.get(caller, id);
    const running = await this.running(caller, { requestId: id });
    return { ...request, running: running.jobs };
  }

  /** PENDING → RUNNING: dispatches the chain's first job. */
  async start(caller: Caller, id: string, reason = "") {
    await this.ensureQueue();
    const now = this.ctx.clock.now();
    await this.transition(caller, id, ["PENDING"], "RUNNING", async (sql) => {
      if (!(await startRequest(sql, id, now, caller.id, reason))) return false;
      await dispatchReady(sql, now, id, caller.id);
      return true;
    });
    return this.get(caller, id);
  }

  /** Ends the request: running jobs are killed (their tries logged as STOPPED), nothing more starts. */
  async stop(caller: Caller, id: string, reason = "") {
    const now = this.ctx.clock.now();
    await this.transition(caller, id, STOPPABLE_REQUEST_STATES, "STOPPED", async (sql) => {
      const stopped = await stopRequest(sql, id, now, caller.id, reason);
      if (!stopped) return false;
      const ended = { requestId: id, invocationId: stopped.invocationId, state: "STOPPED" as const, by: caller.id };
      await tellEnded(this.hooks, sql, now, [ended]);
      return true;
    });
    return this.get(caller, id);
  }

  /** Stops the unfinished requests started by these scheduler invocations (they were aborted). */
  async stopForInvocations(caller: Caller, invocationIds: string[]): Promise<void> {
    if (invocationIds.length === 0) return;
    const r = await this.ctx.db.sql.query<{ id: string; invocation_id: string }>(
      `SELECT id, invocation_id::text AS invocation_id FROM request
        WHERE invocation_id = ANY($1::bigint[]) AND state::text = ANY($2::text[])`,
      [invocationIds, STOPPABLE_REQUEST_STATES]);
    for (const { id, invocation_id } of r.rows) {
      await this.stop(caller, id, `its scheduler invocation ${invocation_id} was aborted`).catch((err: unknown) => {
        if (!(err instanceof HourglassError && err.code === "CONFLICT")) throw err; // it ended meanwhile
      });
    }
  }

  /** Pauses the request with its progress kept: running jobs are interrupted and rerun on resume. */
  async suspend(caller: Caller, id: string, reason = "") {
    const now = this.ctx.clock.now();
    await this.transition(caller, id, ["RUNNING"], "SUSPENDED",
      (sql) => suspendRequest(sql, id, now, "operator", caller.id, reason));
    return this.get(caller, id);
  }

  /**
   * SUSPENDED → RUNNING: every job whose parents completed is dispatched
   * again; a request with a job that failed for good fails instead (once no
   * try of it still runs).
   */
  async resume(caller: Caller, id: string, reason = "") {
    await this.ensureQueue();
    const now = this.ctx.clock.now();
    await this.transition(caller, id, ["SUSPENDED"], "RUNNING", async (sql) => {
      const failedJobs = await resumeRequest(sql, id, now, caller.id, reason);
      if (failedJobs === null) return false;
      if (failedJobs > 0) await failIfIdle(sql, now, id, this.hooks, caller.id);
      else await dispatchReady(sql, now, id, caller.id);
      return true;
    });
    return this.get(caller, id);
  }

  /**
   * FAIL → RUNNING from its failed jobs ("retry from the failed job"):
   * they run again with their retries restored; what completed stays done.
   * A request a scheduler invocation started does not reopen it (the
   * invocation ended when the request failed).
   */
  async retry(caller: Caller, id: string, reason = "") {
    await this.ensureQueue();
    const now = this.ctx.clock.now();
    await this.transition(caller, id, ["FAIL"], "RUNNING", async (sql) => {
      await lockRequest(sql, id);
      if ((await retryRequest(sql, id, now, caller.id, reason)) === null) return false;
      await dispatchReady(sql, now, id, caller.id);
      return true;
    });
    return this.get(caller, id);
  }

  /** The request's history from the event log: created, every state change and who made it; oldest first. */
  history(_caller: Caller, input: HistoryInput): Promise<HistoryPage> {
    return this.events.history("request", input.id, { after: input.after, limit: input.limit });
  }

  /** One chain job's history from the event log: each try's begin and end, stops, resets; oldest first. */
  jobHistory(_caller: Caller, input: JobHistoryInput): Promise<HistoryPage> {
    return this.events.history("chain_job", `${input.id}/${input.jobId}`, { after: input.after, limit: input.limit });
  }

  /** The chain: jobs (with state and tries), edges, and sequences for grouping. */
  async jobChain(caller: Caller, id: string) {
    await this.get(caller, id);
    const [jobs, sequences] = await Promise.all([
      this.ctx.db.sql.query<{ id: string; name: string; type: string; role: string; sequence_id: string; deps: string[]; state: string; total_tries: number; retry: number; args: Record<string, unknown>; data: Record<string, unknown>; started_at: Date | null; finished_at: Date | null }>(
        `SELECT id, name, type, role, sequence_id, deps, state::text AS state, total_tries, retry, args, data, started_at, finished_at
           FROM chain_job WHERE request_id = $1 ORDER BY length(id), id`, [id]),
      this.ctx.db.sql.query<{ id: string; name: string; label: string; parent_id: string | null; retry: number; tries: number }>(
        `SELECT id, name, label, parent_id, retry, tries FROM chain_sequence WHERE request_id = $1 ORDER BY length(id), id`, [id]),
    ]);
    return {
      jobs: jobs.rows.map((j) => ({
        id: j.id, name: j.name, type: j.type, role: j.role, sequenceId: j.sequence_id, deps: j.deps, state: j.state,
        tries: j.total_tries, retry: j.retry, args: j.args, data: j.data, startedAt: ms(j.started_at), finishedAt: ms(j.finished_at),
      })),
      sequences: sequences.rows.map((s) => ({ id: s.id, name: s.name, label: s.label, parentId: s.parent_id, retry: s.retry, tries: s.tries })),
    };
  }

  /** Job log: one entry per try, of the whole request or one job. */
  async log(caller: Caller, input: { requestId: string; jobId?: string }) {
    await this.get(caller, input.requestId);
    const r = await this.ctx.db.sql.query<{ job_id: string; name: string; type: string; try: number; state: string; started_at: Date; finished_at: Date | null; exit_code: number | null; error: string | null; stdout: string; stderr: string }>(
      `SELECT job_id, name, type, try, state, started_at, finished_at, exit_code, error, stdout, stderr FROM chain_job_log
        WHERE request_id = $1 AND ($2::text IS NULL OR job_id = $2) ORDER BY id`, [input.requestId, input.jobId ?? null]);
    return r.rows.map((l) => ({
      jobId: l.job_id, name: l.name, type: l.type, try: l.try, state: l.state, startedAt: l.started_at.getTime(), finishedAt: ms(l.finished_at),
      exitCode: l.exit_code, error: l.error, stdout: l.stdout, stderr: l.stderr,
    }));
  }

  /** Spin Cycle's find (request-filter.ts), newest first. */
  async find(_caller: Caller, f: FindRequestsInput) {
    const values: unknown[] = [];
    const where = requestFilterSql(f, values);
    values.push(f.limit + 1, f.offset);
    const rows = (await this.ctx.db.sql.query<RequestRow>(
      `SELECT ${REQUEST_COLUMNS} FROM request ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
        ORDER BY created_at DESC, id DESC LIMIT $${values.length - 1} OFFSET $${values.length}`, values)).rows;
    return { requests: rows.slice(0, f.limit).map(toRequest), more: rows.length > f.limit };
  }

  /** Jobs running now (of one request, or all), with their try and how long they have run. */
  async running(_caller: Caller, input: { requestId?: string }) {
    const r = await this.ctx.db.sql.query<{ request_id: string; id: string; name: string; type: string; total_tries: number; started_at: Date; request_type: string }>(
      `SELECT j.request_id, j.id, j.name, j.type, j.total_tries, j.started_at, r.type AS request_type
         FROM chain_job j JOIN request r ON r.id = j.request_id
        WHERE j.state = 'RUNNING' AND ($1::text IS NULL OR j.request_id = $1) ORDER BY j.started_at LIMIT 1000`, [input.requestId ?? null]);
    const now = this.ctx.clock.now().getTime();
    return {
      jobs: r.rows.map((j) => ({
        requestId: j.request_id, requestType: j.request_type, jobId: j.id, name: j.name, type: j.type, try: j.total_tries,
        startedAt: j.started_at.getTime(), runningMillis: Math.max(0, now - j.started_at.getTime()),
      })),
    };
  }

  version() {
    return { version: HOURGLASS_VERSION, api: "requests/v1" };
  }

  /**
   * Runs `move` (a guarded transition and what goes with it) in one
   * transaction; when it did not move, the request was not in one of `from`:
   * a CONFLICT that says which state it is in.
   */
  private async transition(
    caller: Caller, id: string, from: readonly RequestState[], to: RequestState,
    move: (sql: import("@hourglass/db").Sql) => Promise<boolean>,
  ) {
    const moved = await withTransaction(this.ctx.db.pool, move);
    if (!moved) {
      const current = await this.get(caller, id);
      const must = `it must be ${from.join(" or ")} to become ${to}`;
      throw new HourglassError("CONFLICT", `request ${id} is ${current.state}; ${must}`);
    }
  }

  /** The internal chains queue (created on first use, by whichever process gets there first). */
  async ensureQueue(): Promise<void> {
    if (this.queueReady) return;
    await this.queues.createQueue({ id: "hourglass" }, {
      name: CHAINS_QUEUE, claimTimeoutMillis: 15_000,
      executor: { kind: "handler", name: CHAIN_JOB_HANDLER, retryDelayMillis: 1000 },
    });
    this.queueReady = true;
  }
}
