/**
 * The queue form's values and what a submit sends (pure; unit-tested in
 * apps/web/test). Creating sends a whole queue; editing sends only what the
 * operator changed, because updateQueue keeps whatever a change leaves out:
 * the form shows no headers, env, http body or cwd, so it must never name them.
 */
import type { ExecutorConfig, QueueInfo, QueueSettingsPatch } from "@hourglass/engine";
import { FormError, readNumber, type NumberRule } from "./form-number";

export { FormError };

export type ExecutorKind = "none" | ExecutorConfig["kind"];

/** The form's fields, as typed. */
export interface QueueFormState {
  name: string;
  kind: ExecutorKind;
  method: string;
  url: string;
  command: string;
  handler: string;
  /** Shell arguments, one per line. */
  args: string;
  timeoutSeconds: string;
  retryDelayMillis: string;
  claimTimeoutSeconds: string;
  succeededRetentionHours: string;
  failedRetentionHours: string;
  /** Jobs per second; empty = unlimited. */
  rateLimit: string;
}

export function formFromQueue(queue?: QueueInfo): QueueFormState {
  const ex = queue?.executor;
  return {
    name: queue?.name ?? "",
    kind: ex?.kind ?? "none",
    method: ex?.kind === "http" ? ex.method : "POST",
    url: ex?.kind === "http" ? ex.url : "",
    command: ex?.kind === "shell" ? ex.command : "sh",
    handler: ex?.kind === "handler" ? ex.name : "echo",
    args: ex?.kind === "shell" ? ex.args.join("\n") : "-c\necho \"hello from $HOURGLASS_JOB_DESCRIPTOR\"",
    timeoutSeconds: String((ex && "timeoutMillis" in ex ? ex.timeoutMillis : 60_000) / 1000),
    retryDelayMillis: String(ex?.retryDelayMillis ?? 1000),
    claimTimeoutSeconds: String((queue?.claimTimeoutMillis ?? 300_000) / 1000),
    succeededRetentionHours: String((queue?.succeededRetentionMillis ?? 86_400_000) / 3_600_000),
    failedRetentionHours: String((queue?.failedRetentionMillis ?? 604_800_000) / 3_600_000),
    rateLimit: !queue?.dequeueRateLimit ? "" : String(queue.dequeueRateLimit),
  };
}

/**
 * A number field, checked against the server's bounds in the field's own unit
 * (NaN would travel as JSON null, which updateQueue reads as "remove this field").
 */
function number(label: string, text: string, rule: NumberRule): number {
  return readNumber(label, text, rule);
}

const DAY_S = 24 * 3600;
const RETRY_DELAY: NumberRule = { min: 0, max: 7 * DAY_S * 1000, integer: true, scale: 1 };

/** The executor's fields the form edits (every other field is left to the server). */
function formExecutor(f: QueueFormState): Record<string, unknown> | null {
  const retryDelayMillis = number("Retry delay (ms)", f.retryDelayMillis, RETRY_DELAY);
  switch (f.kind) {
    case "none":
      return null;
    case "noop":
      return { kind: "noop", retryDelayMillis };
    case "handler":
      return { kind: "handler", name: f.handler, retryDelayMillis };
    case "http":
      return {
        kind: "http", method: f.method, url: f.url, timeoutMillis: number("Timeout (s)", f.timeoutSeconds, { min: 0.001, max: 3600, scale: 1000 }), retryDelayMillis,
      };
    case "shell":
      return {
        kind: "shell", command: f.command, args: f.args.split("\n").filter((a) => a !== ""),
        timeoutMillis: number("Timeout (s)", f.timeoutSeconds, { min: 0.001, max: DAY_S, scale: 1000 }), retryDelayMillis,
      };
  }
}

function formSettings(f: QueueFormState, paused: boolean) {
  return {
    claimTimeoutMillis: number("Claim timeout (s)", f.claimTimeoutSeconds, { min: 1, max: 7 * DAY_S, scale: 1000 }),
    succeededRetentionMillis: number("Keep succeeded (h)", f.succeededRetentionHours, { min: 0, max: 365 * 24, scale: 3_600_000 }),
    failedRetentionMillis: number("Keep failed (h)", f.failedRetentionHours, { min: 0, max: 365 * 24, scale: 3_600_000 }),
    // empty = unlimited; a paused queue stays paused (0) until it is resumed
    dequeueRateLimit: f.rateLimit.trim() === "" ? (paused ? 0 : null) : number("Rate limit (jobs/s)", f.rateLimit, { min: 0, max: 1_000_000 }),
  };
}

/** createQueue's input: the whole queue (fields the form does not show get the server's defaults). */
export function createInput(f: QueueFormState) {
  return { name: f.name.trim(), ...formSettings(f, false), executor: formExecutor(f) as ExecutorConfig | null };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * updateQueue's settings: only what differs from `queue`. The executor is a
 * patch of the changed fields; a new kind sends the whole new executor.
 */
export function settingsPatch(queue: QueueInfo, f: QueueFormState): QueueSettingsPatch {
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(formSettings(f, queue.paused))) {
    if (!same(value, queue[key as keyof QueueInfo])) patch[key] = value;
  }
  const wanted = formExecutor(f);
  const current = queue.executor as Record<string, unknown> | null;
  if (wanted === null || current === null || wanted.kind !== current.kind) {
    if (!same(wanted, current)) patch.executor = wanted;
    return patch as QueueSettingsPatch;
  }
  const changed = Object.fromEntries(Object.entries(wanted).filter(([k, v]) => k !== "kind" && !same(v, current[k])));
  if (Object.keys(changed).length > 0) patch.executor = changed;
  return patch as QueueSettingsPatch;
}

/** What the form keeps without showing it, in words ("2 headers (Authorization, X-Team) and the request body"). */
export function hiddenSettings(executor: ExecutorConfig | null): string | null {
  const parts: string[] = [];
  const names = (record: Record<string, string>) => Object.keys(record).join(", ");
  if (executor?.kind === "http") {
    const n = Object.keys(executor.headers).length;
    if (n > 0) parts.push(`${n} header${n === 1 ? "" : "s"} (${names(executor.headers)})`);
    if (executor.body !== undefined) parts.push("the request body");
  }
  if (executor?.kind === "shell") {
    const n = Object.keys(executor.env).length;
    if (n > 0) parts.push(`${n} environment variable${n === 1 ? "" : "s"} (${names(executor.env)})`);
    if (executor.cwd !== undefined) parts.push(`the working directory`);
  }
  return parts.length === 0 ? null : parts.join(" and ");
}
