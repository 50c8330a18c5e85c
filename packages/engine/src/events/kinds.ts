/**
 * What an event can be about. Each kind's transitions are written by the one
 * module that owns its state machine; operator actions on it by its service.
 */
export const ENTITY_KINDS = [
  "queue",
  "queue_job",
  "scheduler_job",
  "invocation",
  "trigger",
  "request",
  "chain_job",
  "principal",
  "token",
  "role",
  "session",
  "alert_rule",
  "project",
  "task",
  "task_run",
  "task_group",
  "task_worker",
] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

export const ENTITY_KIND_DOC: Record<EntityKind, string> = {
  queue: "A named queue (PinLater): created, updated, paused, resumed, deleted, bulk-action summaries; compact batch events (claimed, gc).",
  queue_job: "One queue job: enqueued, acked, checkpointed, released, expired, retried, requeued, cancelled, deleted.",
  scheduler_job: "A scheduler job: paused, resumed, triggered, its definition changed.",
  invocation: "One invocation of a scheduler job: its state transitions and aborts.",
  trigger: "A trigger: emitted, consumed by an invocation, discarded by triage.",
  request: "A chain request: created, its state transitions, stop / suspend / resume.",
  chain_job: "One job of a request's chain: its tries' transitions.",
  principal: "A user or service account: created, signed in, locked, disabled, scopes granted.",
  token: "An API token: created, revoked.",
  role: "A role: created, updated, deleted.",
  session: "A dashboard session: signed in, signed out.",
  alert_rule: "An alert rule: created, updated, deleted, fired, cleared, test_requested, delivered, delivery_retrying, delivery_failed.",
  project: "A project: its configuration synced.",
  task: "A Taskcluster task: defined, resolved (completed / failed / exception with no retry to follow).",
  task_run: "One run of a task (`<taskId>/<runId>`): pending (with reasonCreated), claimed, resolved (with reasonResolved).",
  task_group: "A task group: sealed, resolved (no unresolved task left), collected (GC, with a count).",
  task_worker: "A worker of a task queue (`<taskQueueId>/<workerGroup>/<workerId>`, project hourglass): quarantined.",
};

export function isEntityKind(value: string): value is EntityKind {
  return (ENTITY_KINDS as readonly string[]).includes(value);
}

/** The actor Hourglass records for its own parts (maintenance, triage, the chain runner…). */
export const systemActor = (part: string) => `system:${part}`;

/** The actor a worker's writes are recorded as: its name, prefixed unless it already names its kind. */
export const workerActor = (name: string) => (name.includes(":") ? name : `worker:${name}`);
