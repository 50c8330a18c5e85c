import type { ExecutorConfig } from "./config.ts";

/**
 * Executor secrets are write-only: the values of an http executor's headers
 * and of a shell executor's env never leave the engine. Reads show each name
 * with SECRET_MASK instead of its value ("set"); a write that sends the mask
 * back for a name keeps that name's stored value, so a client that reads a
 * queue and saves it whole changes nothing it did not mean to.
 */
export const SECRET_MASK = "(secret: set)";
/** What an event shows for a secret a change replaced: neither value, only that it changed. */
export const SECRET_CHANGED = "(secret: changed)";

function maskValues(values: Record<string, string> | undefined): Record<string, string> | undefined {
  return values && Object.fromEntries(Object.keys(values).map((k) => [k, SECRET_MASK]));
}

/** The executor as the API shows it: secret values replaced by the mask. */
export function maskExecutor<E extends ExecutorConfig | null>(executor: E): E {
  if (!executor) return executor;
  if (executor.kind === "http") return { ...executor, headers: maskValues(executor.headers) } as E;
  if (executor.kind === "shell") return { ...executor, env: maskValues(executor.env) } as E;
  return executor;
}

/** An executor-shaped task (scheduler jobs' tasks), masked the same way; anything else is returned as it is. */
export function maskTask<T>(task: T): T {
  const kind = (task as { kind?: unknown } | null)?.kind;
  return kind === "http" || kind === "shell" ? (maskExecutor(task as unknown as ExecutorConfig) as unknown as T) : task;
}

/** A secrets map being written: a masked value stands for the stored one of that name (dropped if there is none). */
export function unmaskValues(
  incoming: Record<string, string> | null | undefined,
  stored: Record<string, string> | undefined,
): Record<string, string> | null | undefined {
  if (!incoming) return incoming;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(incoming)) {
    if (v !== SECRET_MASK) out[k] = v;
    else if (stored?.[k] !== undefined) out[k] = stored[k]!;
  }
  return out;
}
