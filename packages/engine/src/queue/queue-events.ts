/**
 * What a queue's operator events say: its state (ACTIVE / PAUSED), its
 * settings as the API shows them (executor secrets masked), and what a
 * change changed, field by field. Pure.
 */
import { executorConfigSchema, type ExecutorConfig } from "../executors/config.ts";
import { maskExecutor, SECRET_CHANGED, SECRET_MASK } from "../executors/secrets.ts";
import { systemActor } from "../events/kinds.ts";
import type { QueueRow } from "./sql/queueRow.ts";

/** A queue's state, as its events' from / to name it. */
export const QUEUE_STATES = [
  /** Dequeues and the worker's claims are allowed (within the rate limit, if any). */
  "ACTIVE",
  /** The rate limit is 0: nothing is dequeued or claimed until it is resumed. */
  "PAUSED",
] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

export const queueState = (row: Pick<QueueRow, "dequeueRateLimit">): QueueState => (row.dequeueRateLimit === 0 ? "PAUSED" : "ACTIVE");

/**
 * The actor of an administration call: an API caller's id as it is
 * ("user:alice"); a bare name is one of Hourglass's own parts creating its
 * queues ("scheduler" → "system:scheduler").
 */
export const adminActor = (caller: { id: string }) => (caller.id.includes(":") ? caller.id : systemActor(caller.id));

/** field → { from, to }: what one change changed (executor fields as `executor.<field>`). */
export type Changes = Record<string, { from: unknown; to: unknown }>;

/** The settings a queue event shows: the API's names, the executor masked. */
export function queueSettings(row: QueueRow): Record<string, unknown> {
  return {
    claimTimeoutMillis: row.claimTimeoutMillis,
    succeededRetentionMillis: Number(row.succeededRetentionMillis),
    failedRetentionMillis: Number(row.failedRetentionMillis),
    dequeueRateLimit: row.dequeueRateLimit,
    executor: maskExecutor(executorOf(row)),
  };
}

function executorOf(row: QueueRow): ExecutorConfig | null {
  return row.executor === null ? null : executorConfigSchema.parse(row.executor);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Secret maps (http headers, shell env): names shown, values masked; a value that changed is marked as changed. */
const SECRET_FIELDS = new Set(["headers", "env"]);

function secretChange(from: Record<string, string> | undefined, to: Record<string, string> | undefined) {
  const masked = (m: Record<string, string> | undefined, mark: (k: string, v: string) => string) =>
    m === undefined ? null : Object.fromEntries(Object.entries(m).map(([k, v]) => [k, mark(k, v)]));
  return {
    from: masked(from, () => SECRET_MASK),
    to: masked(to, (k, v) => (from?.[k] === v ? SECRET_MASK : SECRET_CHANGED)),
  };
}

/**
 * What changed from `before` to `after`: each setting whose value differs.
 * An executor of the same kind is compared field by field; another kind
 * (or none) is one change of `executor`, masked. Empty when nothing changed.
 */
export function settingsChanges(before: QueueRow, after: QueueRow): Changes {
  const changes: Changes = {};
  const a = queueSettings(before);
  const b = queueSettings(after);
  for (const field of ["claimTimeoutMillis", "succeededRetentionMillis", "failedRetentionMillis", "dequeueRateLimit"]) {
    if (!same(a[field], b[field])) changes[field] = { from: a[field], to: b[field] };
  }
  const from = executorOf(before);
  const to = executorOf(after);
  if (from === null || to === null || from.kind !== to.kind) {
    if (!same(from, to)) changes.executor = { from: maskExecutor(from), to: maskExecutor(to) };
    return changes;
  }
  const f = from as Record<string, unknown>;
  const t = to as Record<string, unknown>;
  for (const field of [...new Set([...Object.keys(f), ...Object.keys(t)])].sort()) {
    if (same(f[field], t[field])) continue;
    changes[`executor.${field}`] = SECRET_FIELDS.has(field)
      ? secretChange(f[field] as Record<string, string> | undefined, t[field] as Record<string, string> | undefined)
      : { from: f[field] ?? null, to: t[field] ?? null };
  }
  return changes;
}
