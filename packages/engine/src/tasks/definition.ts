/**
 * A task definition as stored and answered (Taskcluster's task.json), made
 * from createTask's input: the task queue from provisionerId / workerType or
 * the reverse, the group defaulting to the task itself, dates checked against
 * "now" and normalised to millisecond ISO strings (so a repeated createTask
 * compares equal however its client formats dates), `expires` defaulting to
 * deadline + one year, priority `normal` stored as `lowest`. Pure.
 */
import { HourglassError, type FieldIssue } from "../errors.ts";
import { splitTaskQueueId } from "./ids.ts";
import type { Priority } from "./priorities.ts";
import type { TaskDefinitionInput } from "./schemas.ts";
import type { Requires } from "./states.ts";

export interface TaskDefinition {
  provisionerId: string;
  workerType: string;
  taskQueueId: string;
  schedulerId: string;
  projectId: string;
  taskGroupId: string;
  dependencies: string[];
  requires: Requires;
  routes: string[];
  priority: Priority;
  retries: number;
  created: string;
  deadline: string;
  expires: string;
  scopes: string[];
  payload: Record<string, unknown>;
  metadata: { name: string; description: string; owner: string; source: string };
  tags: Record<string, string>;
  extra: Record<string, unknown>;
}

export interface DefinitionLimits {
  /** How far ahead a deadline may be (default 7 days). */
  maxDeadlineMs: number;
  /** How far `created` may be from now either way (Taskcluster: 15 minutes). */
  createdDriftMs: number;
}

export const DEFAULT_LIMITS: DefinitionLimits = { maxDeadlineMs: 7 * 24 * 3600_000, createdDriftMs: 15 * 60_000 };

const YEAR_MS = 365 * 24 * 3600_000;

/** The stored definition, or an INVALID_ARGUMENT naming the field at fault (paths under `task.`). */
export function normalizeDefinition(
  taskId: string,
  d: TaskDefinitionInput,
  now: Date,
  limits: DefinitionLimits = DEFAULT_LIMITS,
): TaskDefinition {
  const issues: FieldIssue[] = [];
  const issue = (path: string, message: string) => issues.push({ path: `task.${path}`, message });
  const taskQueueId = d.taskQueueId ?? `${d.provisionerId}/${d.workerType}`;
  if (d.taskQueueId !== undefined && d.provisionerId !== undefined && d.workerType !== undefined
    && d.taskQueueId !== `${d.provisionerId}/${d.workerType}`) {
    issue("taskQueueId", "must be <provisionerId>/<workerType> when all three are given");
  }
  const created = new Date(d.created).getTime();
  const deadline = new Date(d.deadline).getTime();
  const expires = d.expires === undefined ? deadline + YEAR_MS : new Date(d.expires).getTime();
  const at = now.getTime();
  if (Math.abs(created - at) > limits.createdDriftMs) {
    issue("created", `must be within ${limits.createdDriftMs / 60_000} minutes of now`);
  }
  if (deadline < created) issue("deadline", "must not be before created");
  if (deadline <= at) issue("deadline", "must be in the future");
  if (deadline - at > limits.maxDeadlineMs) {
    issue("deadline", `must be at most ${Math.round(limits.maxDeadlineMs / 3600_000)} hours ahead`);
  }
  if (expires < deadline) issue("expires", "must not be before deadline");
  if (issues.length > 0) {
    throw new HourglassError("INVALID_ARGUMENT", issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues);
  }
  const { provisionerId, workerType } = splitTaskQueueId(taskQueueId);
  return {
    provisionerId,
    workerType,
    taskQueueId,
    schedulerId: d.schedulerId,
    projectId: d.projectId,
    taskGroupId: d.taskGroupId ?? taskId,
    dependencies: d.dependencies,
    requires: d.requires,
    routes: d.routes,
    priority: d.priority === "normal" ? "lowest" : d.priority,
    retries: d.retries,
    created: new Date(created).toISOString(),
    deadline: new Date(deadline).toISOString(),
    expires: new Date(expires).toISOString(),
    scopes: d.scopes,
    payload: d.payload,
    metadata: d.metadata,
    tags: d.tags,
    extra: d.extra,
  };
}

/** JSON with object keys sorted: two definitions are the same task when these are equal. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function sameDefinition(a: TaskDefinition, b: TaskDefinition): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
