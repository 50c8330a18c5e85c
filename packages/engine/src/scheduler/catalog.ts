import { createHash } from "node:crypto";
import { LineCounter, parseDocument, type Node } from "yaml";
import { lineOfPath } from "../yaml-lines.ts";
import { jobSources } from "./job-source.ts";
import { z } from "zod";
import { requestArgs } from "../request-args.ts";
import { executorConfigSchema } from "../executors/config.ts";
import { DEFAULT_POLICY, type TriggeringPolicy } from "./policies.ts";
import { formatDuration, parseDuration, parseSchedule, ScheduleError, type Schedule } from "./schedule.ts";

/**
 * The catalog: projects and their jobs, defined as YAML files (one per
 * project, named <project>.yaml). Parsing is pure: text in, a validated
 * project (with a content-hash revision every invocation pins) or errors that
 * name the file, line and reason.
 *
 *   jobs:
 *     - id: nightly-report
 *       schedule: "0 3 * * *"        # cron, "with 10m interval", continuously, triggered
 *       timezone: Europe/Berlin       # for cron; default UTC
 *       task: { kind: shell, command: sh, args: ["-c", "make report"] }
 *       # or run a whole job chain: task: { kind: request, type: deploy, args: { app: web } }
 *       triggering_policy: { kind: GREEDY_BATCHING, max_concurrent_invocations: 1 }
 *       triggers: [publish-report]    # jobs triggered when this one succeeds
 *       disabled: false
 *       jitter: 30s                   # cron: each slot runs up to 30 s late (fixed per slot)
 *       catch_up_window: 1h           # cron: after downtime, every slot missed in the last hour runs
 *       pause_after_failures: 3       # the job pauses itself after 3 failed invocations in a row
 */
const ID = /^[a-z0-9][a-z0-9_-]{0,99}$/;

const policySchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("GREEDY_BATCHING"),
    max_concurrent_invocations: z.int().min(1).max(1000).default(1),
    max_batch_size: z.int().min(1).max(1000).default(1000),
  }),
  z.object({
    kind: z.literal("LOGARITHMIC_BATCHING"),
    log_base: z.number().min(1.0001, "log_base must be greater than 1"),
    max_concurrent_invocations: z.int().min(1).max(1000).default(1),
    max_batch_size: z.int().min(1).max(1000).default(1000),
  }),
  z.object({
    kind: z.literal("NEWEST_FIRST"),
    max_concurrent_invocations: z.int().min(1).max(1000).default(1),
    pending_timeout: z.string().default("7d"),
  }),
]);

/**
 * A scheduler task that creates and starts a request (a Spin Cycle job
 * chain); the invocation ends with the request's outcome. The type and args
 * are checked against the request specs when the invocation runs (specs load
 * separately, so an unknown type fails that invocation, not the project).
 */
export const requestTaskSchema = z.object({
  kind: z.literal("request"),
  type: z.string().min(1, "say which request type").max(100),
  args: requestArgs.default({}),
});

/** What a scheduler job runs: one of the queue's executors, or a request. */
export const schedulerTaskSchema = z.discriminatedUnion("kind", [...executorConfigSchema.options, requestTaskSchema]);
export type SchedulerTask = z.infer<typeof schedulerTaskSchema>;

const jobSchema = z.object({
  id: z.string().regex(ID, "job ids are lowercase letters, digits, '-' and '_' (at most 100)"),
  schedule: z.string().optional(),
  timezone: z.string().default("UTC"),
  task: schedulerTaskSchema,
  triggering_policy: policySchema.optional(),
  triggers: z.array(z.string()).default([]),
  disabled: z.boolean().default(false),
  description: z.string().max(2000).optional(),
  jitter: z.string().optional(),
  catch_up_window: z.string().optional(),
  pause_after_failures: z.int("pause_after_failures is a whole number of failed invocations").min(1).max(1000).optional(),
});

/** The longest jitter and catch-up window a job may ask for. */
const MAX_JITTER_MS = 3_600_000;
const MAX_CATCH_UP_MS = 7 * 86_400_000;

const projectSchema = z.object({
  jobs: z.array(jobSchema).max(100_000, "a project has at most 100,000 jobs"),
  /** How long the project's events are kept (a duration such as 90d); default 30 days. */
  event_retention: z.string().optional(),
});

export interface JobDefinition {
  id: string;
  schedule: Schedule;
  /** The schedule as written, for display. */
  scheduleText: string;
  task: SchedulerTask;
  policy: TriggeringPolicy;
  triggers: string[];
  disabled: boolean;
  description?: string;
  /** The job's YAML as its file wrote it (absent on definitions stored before it was kept). */
  source?: string;
  /** Pause the job after this many consecutive failed invocations (pause-on-failure.ts); absent = never. */
  pauseAfterFailures?: number;
}

export interface ProjectDefinition {
  id: string;
  revision: string;
  jobs: JobDefinition[];
  /** Days its events are kept; null = the installation's default. */
  eventRetentionDays: number | null;
}

export interface CatalogError {
  file: string;
  line: number;
  message: string;
}

export type ParseResult = { ok: true; project: ProjectDefinition } | { ok: false; errors: CatalogError[] };

export function projectIdOfFile(fileName: string): string | null {
  const m = /^([a-z0-9][a-z0-9_-]{0,99})\.ya?ml$/.exec(fileName);
  return m ? m[1]! : null;
}

export function parseProject(fileName: string, text: string): ParseResult {
  const projectId = projectIdOfFile(fileName);
  if (!projectId) return fail(fileName, 1, "project files are named <project>.yaml with a lowercase id");
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    return { ok: false, errors: doc.errors.map((e) => ({ file: fileName, line: lines.linePos(e.pos[0]).line, message: e.message.split("\n")[0]! })) };
  }
  const lineOf = (path: PropertyKey[]) => lineOfPath(doc.contents as Node | null, path, lines);
  const parsed = projectSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => ({ file: fileName, line: lineOf(i.path), message: `${i.path.join(".") || "(top level)"}: ${i.message}` })) };
  }
  const errors: CatalogError[] = [];
  const ids = new Set<string>();
  const jobs: JobDefinition[] = [];
  parsed.data.jobs.forEach((j, index) => {
    const at = (...p: PropertyKey[]) => lineOf(["jobs", index, ...p]);
    if (ids.has(j.id)) errors.push({ file: fileName, line: at("id"), message: `job "${j.id}" is defined twice` });
    ids.add(j.id);
    let schedule: Schedule = { kind: "triggered" };
    try {
      schedule = parseSchedule(j.schedule, j.timezone);
    } catch (err) {
      if (!(err instanceof ScheduleError)) throw err;
      errors.push({ file: fileName, line: at(j.schedule === undefined ? "timezone" : "schedule"), message: `job "${j.id}": ${err.message}` });
    }
    for (const [field, limit] of [["jitter", MAX_JITTER_MS], ["catch_up_window", MAX_CATCH_UP_MS]] as const) {
      const text = j[field];
      if (text === undefined) continue;
      const ms = durationOrError(text);
      const problem = typeof ms === "string" ? ms
        : schedule.kind !== "cron" ? `${field} applies to cron schedules only`
        : ms < 1000 || ms > limit ? `${field} is from 1s to ${formatDuration(limit)}` : null;
      if (problem !== null) errors.push({ file: fileName, line: at(field), message: `job "${j.id}": ${problem}` });
      else if (schedule.kind === "cron") schedule = { ...schedule, [field === "jitter" ? "jitterMillis" : "catchUpMillis"]: ms as number };
    }
    let policy: TriggeringPolicy = DEFAULT_POLICY;
    const p = j.triggering_policy;
    if (p?.kind === "GREEDY_BATCHING") policy = { kind: p.kind, maxConcurrentInvocations: p.max_concurrent_invocations, maxBatchSize: p.max_batch_size };
    if (p?.kind === "LOGARITHMIC_BATCHING") policy = { kind: p.kind, logBase: p.log_base, maxConcurrentInvocations: p.max_concurrent_invocations, maxBatchSize: p.max_batch_size };
    if (p?.kind === "NEWEST_FIRST") {
      const timeout = durationOrError(p.pending_timeout);
      if (typeof timeout === "string") errors.push({ file: fileName, line: at("triggering_policy", "pending_timeout"), message: `job "${j.id}": ${timeout}` });
      else policy = { kind: p.kind, maxConcurrentInvocations: p.max_concurrent_invocations, pendingTimeoutMillis: timeout };
    }
    jobs.push({ id: j.id, schedule, scheduleText: j.schedule ?? "triggered", task: j.task, policy, triggers: j.triggers, disabled: j.disabled, description: j.description,
      ...(j.pause_after_failures !== undefined && { pauseAfterFailures: j.pause_after_failures }) });
  });
  jobs.forEach((j, index) =>
    j.triggers.forEach((target, k) => {
      if (!ids.has(target)) errors.push({ file: fileName, line: lineOf(["jobs", index, "triggers", k]), message: `job "${j.id}" triggers "${target}", which this project does not define` });
    }),
  );
  let eventRetentionDays: number | null = null;
  if (parsed.data.event_retention !== undefined) {
    const ms = durationOrError(parsed.data.event_retention);
    if (typeof ms === "string") errors.push({ file: fileName, line: lineOf(["event_retention"]), message: `event_retention: ${ms}` });
    else if (ms < 86_400_000) errors.push({ file: fileName, line: lineOf(["event_retention"]), message: "event_retention is at least 1d" });
    else eventRetentionDays = Math.floor(ms / 86_400_000);
  }
  if (errors.length > 0) return { ok: false, errors };
  const sources = jobSources(doc, text);
  jobs.forEach((j, index) => (j.source = sources[index]));
  const revision = createHash("sha256").update(text).digest("hex").slice(0, 12);
  return { ok: true, project: { id: projectId, revision, jobs, eventRetentionDays } };
}

function durationOrError(text: string): number | string {
  try {
    return parseDuration(text);
  } catch (err) {
    return (err as Error).message;
  }
}

function fail(file: string, line: number, message: string): ParseResult {
  return { ok: false, errors: [{ file, line, message }] };
}
