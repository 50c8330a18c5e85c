/**
 * Inputs of the tasks API in Taskcluster's shapes (create-task-request,
 * claim-work-request, task-exception-request, …), so the REST layer to come
 * passes its bodies through unchanged.
 */
import { z } from "zod";
import { PROJECT_NAME } from "../access/resources.ts";
import { IDENTIFIER, SLUGID, TASK_QUEUE_ID } from "./ids.ts";
import { PRIORITIES } from "./priorities.ts";
import { EXCEPTION_REASONS, REQUIRES } from "./states.ts";

const slugid = z.string().regex(SLUGID, "must be a slugid (22 url-safe base64 characters of a v4 UUID)");
const identifier = z.string().regex(IDENTIFIER, "must be 1-38 letters, digits, - or _");
const taskQueueId = z.string()
  .regex(TASK_QUEUE_ID, "must be <provisionerId>/<workerType>, each 1-38 letters, digits, - or _");
const dateTime = z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time" });
const printable = (max: number) => z.string().max(max).regex(/^[\x20-\x7e]*$/, "must be printable ASCII");

export const MAX_DEPENDENCIES = 10_000;
export const MAX_LIST = 1000;

export const taskDefinitionSchema = z.object({
  provisionerId: identifier.optional(),
  workerType: identifier.optional(),
  taskQueueId: taskQueueId.optional(),
  schedulerId: identifier.default("-"),
  projectId: z.string().regex(PROJECT_NAME, "must be an Hourglass project: 1-100 letters, digits, _ or -").default("none"),
  taskGroupId: slugid.optional(),
  dependencies: z.array(slugid).max(MAX_DEPENDENCIES).default([])
    .refine((d) => new Set(d).size === d.length, "must not repeat a taskId"),
  requires: z.enum(REQUIRES).default("all-completed"),
  routes: z.array(printable(249).min(1)).max(64).default([])
    .refine((r) => new Set(r).size === r.length, "must not repeat a route"),
  priority: z.enum(PRIORITIES).default("lowest"),
  retries: z.int().min(0).max(49).default(5),
  created: dateTime,
  deadline: dateTime,
  expires: dateTime.optional(),
  scopes: z.array(printable(1000).refine((s) => !s.endsWith("**"), "must not end with **")).max(1000).default([])
    .refine((s) => new Set(s).size === s.length, "must not repeat a scope"),
  payload: z.record(z.string(), z.unknown()),
  metadata: z.object({
    name: z.string().min(1).max(255),
    description: z.string().max(32768),
    owner: z.string().min(1).max(255),
    source: z.string().min(1).max(4096),
  }),
  tags: z.record(z.string().max(4096), z.string().max(4096)).default({}),
  extra: z.record(z.string(), z.unknown()).default({}),
}).refine((d) => d.taskQueueId !== undefined || (d.provisionerId !== undefined && d.workerType !== undefined), {
  message: "give a taskQueueId, or a provisionerId and a workerType",
  path: ["taskQueueId"],
});
export type TaskDefinitionInput = z.infer<typeof taskDefinitionSchema>;

export const createTaskInput = z.object({ taskId: slugid, task: taskDefinitionSchema });
export const taskIdInput = z.object({ taskId: slugid });
const runId = z.int().min(0).max(49);
export const runInput = z.object({ taskId: slugid, runId });
export const workerInput = { workerGroup: identifier, workerId: identifier };
export const claimWorkInput = z.object({ taskQueueId, ...workerInput, tasks: z.int().min(1).max(32).default(1) });
export const claimTaskInput = runInput.extend(workerInput);
export const reportExceptionInput = runInput.extend({ reason: z.enum(EXCEPTION_REASONS) });
export const taskGroupIdInput = z.object({ taskGroupId: slugid });
const listing = { continuationToken: z.string().max(200).optional(), limit: z.int().min(1).max(MAX_LIST).default(MAX_LIST) };
export const listTaskGroupInput = taskGroupIdInput.extend(listing);
export const listDependentTasksInput = taskIdInput.extend(listing);
export const taskQueueIdInput = z.object({ taskQueueId });
export const listTaskQueuesInput = z.object(listing);
const workerType = { provisionerId: identifier, workerType: identifier };
export const listWorkersInput = z.object({ ...workerType, quarantined: z.boolean().optional(), ...listing });
export const workerRefInput = z.object({ ...workerType, ...workerInput });
export const quarantineWorkerInput = workerRefInput.extend({ quarantineUntil: dateTime });
export const listRunsInput = taskQueueIdInput.extend(listing);
