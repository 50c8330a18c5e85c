import { z } from "zod";
import { HourglassError } from "../errors.ts";
import { executorConfigSchema, type ExecutorConfig } from "./config.ts";
import { unmaskValues } from "./secrets.ts";

const MEMBERS = executorConfigSchema.options;
const KINDS = MEMBERS.map((m) => m.shape.kind.value) as [ExecutorConfig["kind"], ...ExecutorConfig["kind"][]];

/**
 * A change to a queue's executor (updateQueue): only the fields it names.
 * A field left out keeps its value, so saving a form that does not show a
 * secret header cannot erase it; a field set to null is removed (its
 * default applies). `kind` may be left out to keep the current one; naming
 * another kind starts a new executor, so the patch must then be complete.
 * Shapes are checked after merging (mergeExecutor), with the executor's own
 * messages, so a partial patch is not held to the whole executor's rules.
 */
export const executorPatchSchema = z.looseObject({ kind: z.enum(KINDS).optional() });

export type ExecutorPatch = z.infer<typeof executorPatchSchema>;

const PATH = "settings.executor";

function invalid(issues: { path: string; message: string }[]): never {
  throw new HourglassError("INVALID_ARGUMENT", issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues);
}

/** The executor `patch` makes of `current`; INVALID_ARGUMENT (naming settings.executor.<field>) if it is not one. */
export function mergeExecutor(current: ExecutorConfig | null, patch: ExecutorPatch): ExecutorConfig {
  const kind = patch.kind ?? current?.kind;
  if (kind === undefined) {
    invalid([{ path: `${PATH}.kind`, message: "the queue has no executor: name the kind to add one" }]);
  }
  const member = MEMBERS.find((m) => m.shape.kind.value === kind)!;
  const unknown = Object.keys(patch).filter((k) => !(k in member.shape));
  if (unknown.length > 0) {
    invalid(unknown.map((k) => ({ path: `${PATH}.${k}`, message: `not a setting of the ${kind} executor` })));
  }
  const merged: Record<string, unknown> = current?.kind === kind ? { ...current } : {};
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) delete merged[field];
    else if (field === "headers" || field === "env") {
      // secrets are write-only (secrets.ts): a masked value sent back keeps the stored one
      merged[field] = unmaskValues(value as Record<string, string>, (current?.kind === kind ? current : undefined)?.[field as never]);
    } else merged[field] = value;
  }
  merged.kind = kind;
  const parsed = executorConfigSchema.safeParse(merged);
  if (!parsed.success) {
    invalid(parsed.error.issues.map((i) => ({ path: [PATH, ...i.path.map(String)].join("."), message: i.message })));
  }
  return parsed.data;
}
